package ai.assay.api.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A token secret as a request presented it, not yet checked. Its {@code toString} never shows the secret. */
final class PresentedToken extends AbstractAuthenticationToken {

    private final String secret;

    PresentedToken(String secret) {
        super(List.of());
        this.secret = secret;
    }

    @Override
    public String getCredentials() {
        return secret;
    }

    @Override
    public Object getPrincipal() {
        return "";
    }

    @Override
    public String toString() {
        return "PresentedToken[secret hidden]";
    }
}
