package ai.assay.api.auth;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * Authenticates the token a request presents ({@link BearerTokenConverter}) and lets the request go on; a request
 * without one goes on anonymous, and the scope check decides. A class of its own so that other filters can be
 * placed relative to it.
 */
final class BearerTokenFilter extends AuthenticationFilter {

    BearerTokenFilter(ApiTokenAuthenticationProvider provider, AuthProblems problems) {
        super(new ProviderManager(provider), new BearerTokenConverter());
        setSuccessHandler((request, response, authentication) -> {});
        setFailureHandler(problems);
    }
}
