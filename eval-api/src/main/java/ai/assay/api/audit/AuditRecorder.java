package ai.assay.api.audit;

import ai.assay.api.auth.ApiToken;
import ai.assay.api.auth.SecurityChainFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Records every request whose method could change something, once it has been answered: who (the token the chain
 * authenticated, if any), what (method, path, status and the Location of what was made), when (the database
 * clock) and from where (the client address; behind a proxy, set {@code server.forward-headers-strategy}). It runs
 * before authentication, so refused attempts (401, 403, 429) are recorded too. Bodies and headers are never kept.
 * The record is written after the answer: a failure to write it is logged and does not undo the mutation.
 */
@Component
class AuditRecorder implements SecurityChainFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final AuditTrail trail;

    AuditRecorder(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public Place place() {
        return Place.BEFORE_AUTHENTICATION;
    }

    @Override
    public void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (READS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            record(request, response, failed);
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, boolean failed) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        UUID tokenId =
                authentication != null && authentication.getPrincipal() instanceof ApiToken token ? token.id() : null;
        String location = response.getHeader(HttpHeaders.LOCATION);
        String path = request.getRequestURI();
        try {
            trail.record(
                    tokenId,
                    request.getMethod(),
                    path,
                    failed ? 500 : response.getStatus(),
                    location != null && response.getStatus() < 300 ? location : path,
                    request.getRemoteAddr());
        } catch (RuntimeException e) {
            log.error(
                    "Could not record {} {} (status {}) in the audit trail",
                    request.getMethod(),
                    path,
                    response.getStatus(),
                    e);
        }
    }
}
