package ai.assay.api.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A stored API token, without its secret (which is never stored).
 *
 * @param bootstrap whether it was made at start-up from {@code assay.api.auth.bootstrap-token}
 * @param createdBy the token that created it, or null for the bootstrap token
 * @param lastUsedAt when it last authenticated a request, to the minute; null if never
 * @param revokedAt  when it was revoked, or null while it is valid
 */
public record ApiToken(
        UUID id,
        String name,
        Set<Scope> scopes,
        boolean bootstrap,
        UUID createdBy,
        Instant createdAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public ApiToken {
        scopes = Set.copyOf(scopes);
    }

    /** Whether this token may do what the scope allows; {@code admin} allows everything. */
    public boolean allows(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
