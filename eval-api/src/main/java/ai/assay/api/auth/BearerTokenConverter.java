package ai.assay.api.auth;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Finds the token a request presents: {@code Authorization: Bearer <token>} (RFC 6750), or, for GET and HEAD only,
 * the web pages' sign-in cookie. The cookie never authorizes a mutation, so a page on another site cannot make a
 * signed-in browser change anything (no CSRF token is needed). Null when the request presents none; a malformed
 * Authorization header, or two of them, fails authentication.
 */
final class BearerTokenConverter implements AuthenticationConverter {

    static final String COOKIE = "assay_token";

    @Override
    public Authentication convert(HttpServletRequest request) {
        List<String> headers = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
        if (headers.size() > 1) {
            throw new BadCredentialsException(
                    "the request has %d Authorization headers; send one".formatted(headers.size()));
        }
        if (headers.size() == 1) {
            String header = headers.get(0).strip();
            int space = header.indexOf(' ');
            if (space < 0
                    || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
                throw new BadCredentialsException(
                        "the Authorization header must be 'Bearer <token>'; other schemes are not accepted");
            }
            String secret = header.substring(space + 1).strip();
            if (secret.isEmpty()) {
                throw new BadCredentialsException("the Authorization header has no token after 'Bearer'");
            }
            return new PresentedToken(secret);
        }
        String method = request.getMethod();
        if ((method.equals("GET") || method.equals("HEAD")) && request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                if (cookie.getName().equals(COOKIE) && !cookie.getValue().isEmpty()) {
                    return new PresentedToken(cookie.getValue());
                }
            }
        }
        return null;
    }
}
