package ai.assay.api.problem;

import java.util.Map;

/**
 * A failure the client should hear about as a problem of a known kind.
 *
 * @see ApiExceptionHandler
 */
public class ProblemException extends RuntimeException {

    private final ProblemKind kind;
    private final Map<String, Object> properties;

    public ProblemException(ProblemKind kind, String detail) {
        this(kind, detail, Map.of());
    }

    public ProblemException(ProblemKind kind, String detail, Map<String, Object> properties) {
        super(detail);
        this.kind = kind;
        this.properties = Map.copyOf(properties);
    }

    public ProblemKind kind() {
        return kind;
    }

    /** Extra members of the problem object, such as the parameter that was wrong. */
    public Map<String, Object> properties() {
        return properties;
    }
}
