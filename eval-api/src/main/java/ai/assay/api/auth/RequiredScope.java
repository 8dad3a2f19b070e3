package ai.assay.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.stereotype.Component;

/**
 * The one table of which request needs which scope; the filter chain decides with it and the 403 problem names
 * what it said. In order:
 *
 * <ol>
 *   <li>open to all: the probes and Actuator (health, info, Prometheus; nothing else is exposed), the problem type
 *       pages, the OpenAPI document and Swagger UI, the pages' style sheet and script, sign-in and sign-out;
 *   <li>{@code /admin/**}: admin;
 *   <li>GET, HEAD and OPTIONS, and the POSTs that only read ({@code POST /tasks/{name}/preview}, whose body carries a
 *       chat template): read (open with {@code assay.api.auth.public-read});
 *   <li>every other request: submit.
 * </ol>
 *
 * Cancelling an evaluation another token submitted needs admin as well; the controller checks that, since only it
 * knows who submitted the evaluation.
 */
@Component
class RequiredScope {

    private static final PathPatternRequestMatcher.Builder PATHS = PathPatternRequestMatcher.withDefaults();

    private static final List<RequestMatcher> OPEN_READS = Stream.of(
                    "/livez",
                    "/readyz",
                    "/actuator/**",
                    "/problems",
                    "/problems/*",
                    "/v3/api-docs/**",
                    "/swagger-ui.html",
                    "/swagger-ui/**",
                    "/ui/*.css",
                    "/ui/*.js",
                    "/sign-in")
            .<RequestMatcher>map(PATHS::matcher)
            .toList();

    private static final List<RequestMatcher> OPEN_POSTS =
            List.of(PATHS.matcher(HttpMethod.POST, "/sign-in"), PATHS.matcher(HttpMethod.POST, "/sign-out"));

    private static final List<RequestMatcher> READING_POSTS =
            List.of(PATHS.matcher(HttpMethod.POST, "/tasks/*/preview"));

    private static final RequestMatcher ADMIN = PATHS.matcher("/admin/**");

    private final boolean publicRead;

    RequiredScope(AuthProperties properties) {
        this.publicRead = properties.publicRead();
    }

    /** The scope the request needs, or empty when it is open to everyone. */
    Optional<Scope> of(HttpServletRequest request) {
        String method = request.getMethod();
        boolean read = method.equals("GET")
                || method.equals("HEAD")
                || method.equals("OPTIONS")
                || READING_POSTS.stream().anyMatch(matcher -> matcher.matches(request));
        if ((read && OPEN_READS.stream().anyMatch(matcher -> matcher.matches(request)))
                || OPEN_POSTS.stream().anyMatch(matcher -> matcher.matches(request))) {
            return Optional.empty();
        }
        if (ADMIN.matches(request)) {
            return Optional.of(Scope.ADMIN);
        }
        if (read) {
            return publicRead ? Optional.empty() : Optional.of(Scope.READ);
        }
        return Optional.of(Scope.SUBMIT);
    }
}
