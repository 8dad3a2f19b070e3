package ai.assay.core.task;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The form of a URI naming a file of outputs (alpaca_eval's model_outputs.json, lm-eval responses): {@code file:} with an
 * absolute local path, or {@code http:}/{@code https:} with a host. Whether the address may be called or the file
 * read is the outbound guard's and the file roots' question, which the API asks after this one.
 */
final class OutputsUris {

    private static final Set<String> SCHEMES = Set.of("file", "http", "https");

    private OutputsUris() {}

    /** What is wrong with {@code text} as the URI of option {@code name}, or empty when its form is right. */
    static Optional<String> problem(String name, String text) {
        return problem(name, text, "a model_outputs.json");
    }

    /**
     * What is wrong with {@code text} as the URI of option {@code name}, naming a file of {@code what} (such as "a
     * model_outputs.json"), or empty when its form is right.
     */
    static Optional<String> problem(String name, String text, String what) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.of(
                    "'%s' is not a valid URI; give a file:, http: or https: URI of %s".formatted(name, what));
        }
        if (uri.getScheme() == null) {
            return Optional.of(
                    "'%s': a relative name cannot be resolved on the workers; give a file:, http: or".formatted(name)
                            + " https: URI of " + what);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return Optional.of("'%s': the URI scheme '%s' is not supported; give a file:, http: or https: URI"
                    .formatted(name, uri.getScheme()));
        }
        if (uri.isOpaque() || uri.getPath() == null || uri.getPath().isEmpty()) {
            return Optional.of("'%s' must hold a path to %s".formatted(name, what));
        }
        if (scheme.equals("file")) {
            String authority = uri.getRawAuthority();
            if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                return Optional.of("'%s': a file: URI names a local path, so it cannot have the host '%s'"
                        .formatted(name, authority));
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.of("'%s': a file: URI cannot have a query or a fragment".formatted(name));
            }
            return Optional.empty();
        }
        if (uri.getHost() == null || uri.getPort() > 65535) {
            return Optional.of("'%s' must name a host (and a port up to 65535)".formatted(name));
        }
        return Optional.empty();
    }
}
