package ai.assay.api.evaluation;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Model locations. Today a model is an ONNX directory on a filesystem the workers mount, given as a {@code file:}
 * URI or an absolute path; both are stored as a normalized {@code file:///...} URI. Whether the directory exists
 * is checked by the worker that loads it, since the API need not see the model volume.
 */
final class ModelUris {

    private static final String EXAMPLE = "e.g. file:///models/llama3-8b or /models/llama3-8b";

    private ModelUris() {}

    /** The normalized URI, or null when the location is invalid (the reason is added to violations). */
    static String normalize(String location, String pointer, List<Violation> violations) {
        String path = location.startsWith("/") ? location : pathOfFileUri(location, pointer, violations);
        if (path == null) {
            return null;
        }
        try {
            String normalized = Path.of(path).normalize().toString();
            return new URI("file", "", normalized, null).toString();
        } catch (InvalidPathException | URISyntaxException e) {
            violations.add(invalid(pointer, "'%s' is not a valid path".formatted(location)));
            return null;
        }
    }

    private static String pathOfFileUri(String location, String pointer, List<Violation> violations) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            violations.add(invalid(
                    pointer, "'%s' is neither an absolute path nor a valid URI (%s)".formatted(location, EXAMPLE)));
            return null;
        }
        if (uri.getScheme() == null) {
            violations.add(invalid(
                    pointer,
                    "a relative path cannot be resolved on the workers; give an absolute"
                            + " path or a file: URI (%s)".formatted(EXAMPLE)));
            return null;
        }
        if (!uri.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
            violations.add(invalid(
                    pointer,
                    "the URI scheme '%s' is not supported; models are read from a".formatted(uri.getScheme())
                            + " directory the workers mount (%s)".formatted(EXAMPLE)));
            return null;
        }
        String authority = uri.getRawAuthority();
        if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
            violations.add(invalid(
                    pointer, "a file: URI names a local path, so it cannot have the host '%s'".formatted(authority)));
            return null;
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            violations.add(invalid(pointer, "a file: URI for a model cannot have a query or a fragment"));
            return null;
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
            violations.add(invalid(pointer, "a file: URI must hold an absolute path (%s)".formatted(EXAMPLE)));
            return null;
        }
        return uri.getPath();
    }

    private static Violation invalid(String pointer, String detail) {
        return new Violation(ViolationKind.INVALID_MODEL_URI, pointer, detail);
    }
}
