package ai.assay.api.auth;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * 401 and 403 as problem details, written by the same exception handler as every other problem, with the
 * {@code WWW-Authenticate} challenge of RFC 6750. A browser asking for a web page without a valid token is sent
 * to the sign-in page instead, and a stale sign-in cookie is cleared.
 */
@Component
class AuthProblems implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler {

    private final RequiredScope requiredScope;
    private final HandlerExceptionResolver exceptionResolver;

    AuthProblems(
            RequiredScope requiredScope,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
        this.requiredScope = requiredScope;
        this.exceptionResolver = exceptionResolver;
    }

    /** No token, on a request that needs one. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (isPage(request)) {
            signIn(request, response);
            return;
        }
        String scope = requiredScope.of(request).map(Scope::value).orElse("read");
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"assay\"");
        resolve(
                request,
                response,
                new ProblemException(
                        ProblemKind.UNAUTHENTICATED,
                        "this request needs a token with the '%s' scope; send 'Authorization: Bearer <token>'"
                                .formatted(scope)));
    }

    /** A token that is unknown, revoked or malformed. */
    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        if (isPage(request)) {
            Cookie cleared = new Cookie(BearerTokenConverter.COOKIE, "");
            cleared.setPath("/");
            cleared.setMaxAge(0);
            response.addCookie(cleared);
            signIn(request, response);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"assay\", error=\"invalid_token\"");
        resolve(request, response, new ProblemException(ProblemKind.UNAUTHENTICATED, e.getMessage()));
    }

    /** A valid token without the scope. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) {
        Scope scope = requiredScope.of(request).orElse(Scope.ADMIN);
        response.setHeader(
                HttpHeaders.WWW_AUTHENTICATE,
                "Bearer realm=\"assay\", error=\"insufficient_scope\", scope=\"%s\"".formatted(scope.value()));
        resolve(
                request,
                response,
                insufficientScope(scope, SecurityContextHolder.getContext().getAuthentication()));
    }

    static ProblemException insufficientScope(Scope scope, Authentication authentication) {
        String held = authentication != null && authentication.getPrincipal() instanceof ApiToken token
                ? "the token '%s' has %s".formatted(token.name(), ApiTokenAuthentication.scopesOf(token))
                : "the request has no token";
        return new ProblemException(
                ProblemKind.INSUFFICIENT_SCOPE,
                "this request needs the '%s' scope; %s".formatted(scope.value(), held),
                Map.of("requiredScope", scope.value()));
    }

    private void resolve(HttpServletRequest request, HttpServletResponse response, ProblemException problem) {
        exceptionResolver.resolveException(request, response, null, problem);
    }

    /** A browser's request for one of the web pages (not the JSON API, not a script's fetch). */
    private static boolean isPage(HttpServletRequest request) {
        String path = request.getRequestURI();
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return request.getMethod().equals("GET")
                && (path.equals("/") || path.startsWith("/ui/"))
                && accept != null
                && accept.contains("text/html");
    }

    private static void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next =
                request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader(HttpHeaders.LOCATION, "/sign-in?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }
}
