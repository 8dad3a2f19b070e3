package ai.assay.api.problem;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Query and path parameters every endpoint reads the same way, refused the same way: a wrong one is an
 * {@code invalid-parameter} problem naming it, an id that is no UUID is an unknown id.
 */
public final class RequestParameters {

    private RequestParameters() {}

    /** One page of a listing: {@code page} counts from 0, {@code size} rows per page. */
    public record PageRequest(long page, int size) {

        /** The rows to skip, saturating rather than overflowing for absurd pages (which are then empty). */
        public long offset() {
            return Math.multiplyHigh(page, size) != 0 || page * size < 0 ? Long.MAX_VALUE : page * size;
        }
    }

    /**
     * The page asked for, checked: {@code page} at least 0, {@code size} (default {@code defaultSize}) from 1 to
     * {@code maxSize}.
     */
    public static PageRequest page(long page, Integer size, int defaultSize, int maxSize) {
        int pageSize = size == null ? defaultSize : size;
        if (page < 0) {
            throw invalid("page", "'page' starts at 0");
        }
        if (pageSize < 1 || pageSize > maxSize) {
            throw invalid("size", "'size' must be between 1 and " + maxSize);
        }
        return new PageRequest(page, pageSize);
    }

    /** The UUID {@code id} spells, if it spells one. */
    public static Optional<UUID> uuid(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An {@code invalid-parameter} problem naming {@code parameter}. */
    public static ProblemException invalid(String parameter, String detail) {
        return new ProblemException(ProblemKind.INVALID_PARAMETER, detail, Map.of("parameter", parameter));
    }
}
