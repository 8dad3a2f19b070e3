package ai.assay.api.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a valid API token. The principal is the {@link ApiToken}, so a controller can take
 * it as {@code @AuthenticationPrincipal ApiToken caller}; the secret is not kept.
 */
final class ApiTokenAuthentication extends AbstractAuthenticationToken {

    private final ApiToken token;

    ApiTokenAuthentication(ApiToken token) {
        super(token.scopes().stream()
                .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope.value()))
                .toList());
        this.token = token;
        setAuthenticated(true);
    }

    @Override
    public ApiToken getPrincipal() {
        return token;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public String getName() {
        return token.name();
    }

    static List<String> scopesOf(ApiToken token) {
        return token.scopes().stream().sorted().map(Scope::value).toList();
    }
}
