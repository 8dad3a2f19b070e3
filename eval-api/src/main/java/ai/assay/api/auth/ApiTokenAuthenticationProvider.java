package ai.assay.api.auth;

import java.time.Instant;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Checks a presented secret against the stored hashes on every request: a revoked token fails at once, on every
 * API pod, with no cache to expire. The lookup is by the unique index on the hash, one indexed read per request,
 * and a write only when the recorded last use is older than {@link ApiTokenRepository#USE_PRECISION}.
 */
@Component
class ApiTokenAuthenticationProvider implements AuthenticationProvider {

    private final ApiTokenRepository tokens;

    ApiTokenAuthenticationProvider(ApiTokenRepository tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String secret = ((PresentedToken) authentication).getCredentials();
        ApiToken token = tokens.findValid(TokenSecrets.sha256(secret))
                .orElseThrow(() -> new BadCredentialsException("the token is not valid: it is unknown or revoked"));
        if (token.lastUsedAt() == null
                || token.lastUsedAt().isBefore(Instant.now().minus(ApiTokenRepository.USE_PRECISION))) {
            tokens.markUsed(token.id()); // else the write would change nothing: most requests cost the one read
        }
        return new ApiTokenAuthentication(token);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedToken.class.isAssignableFrom(authentication);
    }
}
