package ai.assay.api.audit;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.api.system.ApiProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading the audit trail; admin scope only. */
@RestController
class AuditController {

    private final AuditTrail trail;
    private final ApiProperties properties;

    AuditController(AuditTrail trail, ApiProperties properties) {
        this.trail = trail;
        this.properties = properties;
    }

    record AuditPageView(long page, int size, List<AuditEvent> events) {}

    @Operation(
            summary = "Read the audit trail, newest first",
            description = "One event per request that could change something (every method but GET, HEAD and"
                    + " OPTIONS), refused ones included: who, what, when, from where, and the status.")
    @GetMapping(path = "/admin/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    AuditPageView audit(
            @Parameter(description = "Only the events of this token id") @RequestParam(required = false) String token,
            @RequestParam(defaultValue = "0") long page,
            @RequestParam(required = false) Integer size) {
        int pageSize = size == null ? properties.defaultPageSize() : size;
        if (page < 0) {
            throw invalidParameter("page", "'page' starts at 0");
        }
        if (pageSize < 1 || pageSize > properties.maxPageSize()) {
            throw invalidParameter("size", "'size' must be between 1 and " + properties.maxPageSize());
        }
        UUID tokenId = null;
        if (token != null) {
            try {
                tokenId = UUID.fromString(token);
            } catch (IllegalArgumentException e) {
                throw invalidParameter("token", "'token' must be a token id");
            }
        }
        long offset = Math.multiplyHigh(page, pageSize) != 0 ? Long.MAX_VALUE : page * pageSize;
        return new AuditPageView(page, pageSize, trail.page(tokenId, offset, pageSize));
    }

    private static ProblemException invalidParameter(String parameter, String detail) {
        return new ProblemException(ProblemKind.INVALID_PARAMETER, detail, Map.of("parameter", parameter));
    }
}
