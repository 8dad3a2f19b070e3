package ai.assay.api.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Sign-in for the web pages: a read token pasted into a form becomes an HttpOnly, SameSite=Strict session cookie,
 * which {@link BearerTokenConverter} accepts for GET and HEAD only. The token is checked when it is pasted and on
 * every page, so a revoked token signs the browser out at once.
 */
@Controller
class SignInController {

    private static final String PAGES = "/ui/leaderboard";

    private final ApiTokenRepository tokens;

    SignInController(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @GetMapping("/sign-in")
    String form(@RequestParam(required = false) String next, Model model) {
        model.addAttribute("next", safeNext(next));
        return "ui/sign-in";
    }

    @PostMapping("/sign-in")
    Object signIn(
            @RequestParam(defaultValue = "") String token,
            @RequestParam(required = false) String next,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        String secret = token.strip();
        Optional<ApiToken> valid = secret.isEmpty() ? Optional.empty() : tokens.findValid(TokenSecrets.sha256(secret));
        if (valid.isEmpty() || !valid.get().allows(Scope.READ)) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            model.addAttribute("next", safeNext(next));
            model.addAttribute(
                    "error",
                    valid.isEmpty()
                            ? "That token is not valid: it is unknown or revoked."
                            : "That token lacks the read scope, which the pages need.");
            return "ui/sign-in";
        }
        response.addHeader(
                HttpHeaders.SET_COOKIE, cookie(secret, request.isSecure(), null).toString());
        return seeOther(safeNext(next));
    }

    @PostMapping("/sign-out")
    RedirectView signOut(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(
                HttpHeaders.SET_COOKIE,
                cookie("", request.isSecure(), Duration.ZERO).toString());
        return seeOther("/sign-in");
    }

    /** A 303 to the path as given: no URI template expansion, no model attributes added to the query. */
    private static RedirectView seeOther(String path) {
        RedirectView redirect = new RedirectView(path, true);
        redirect.setExpandUriTemplateVariables(false);
        redirect.setExposeModelAttributes(false);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        return redirect;
    }

    private static ResponseCookie cookie(String value, boolean secure, Duration maxAge) {
        ResponseCookie.ResponseCookieBuilder cookie = ResponseCookie.from(BearerTokenConverter.COOKIE, value)
                .path("/")
                .httpOnly(true)
                .secure(secure)
                .sameSite("Strict");
        if (maxAge != null) {
            cookie.maxAge(maxAge);
        }
        return cookie.build();
    }

    /** Only a path of this site: a sign-in link must never send the browser elsewhere. */
    private static String safeNext(String next) {
        if (next == null
                || !next.startsWith("/")
                || next.startsWith("//")
                || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return PAGES;
        }
        return next;
    }
}
