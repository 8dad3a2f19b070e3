package ai.assay.api.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One audited request.
 *
 * @param tokenId   the token that made it, or null when it carried no valid token
 * @param tokenName that token's name, or null
 * @param target    what was made or changed: the answer's Location, else the request path
 */
record AuditEvent(
        long id,
        Instant at,
        UUID tokenId,
        String tokenName,
        String method,
        String path,
        int status,
        String target,
        String remoteAddress) {}
