package ai.assay.api.audit;

import ai.assay.api.problem.RequestParameters;
import ai.assay.api.problem.RequestParameters.PageRequest;
import ai.assay.api.system.ApiProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
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
        PageRequest request =
                RequestParameters.page(page, size, properties.defaultPageSize(), properties.maxPageSize());
        UUID tokenId = token == null
                ? null
                : RequestParameters.uuid(token)
                        .orElseThrow(() -> RequestParameters.invalid("token", "'token' must be a token id"));
        return new AuditPageView(request.page(), request.size(), trail.page(tokenId, request.offset(), request.size()));
    }
}
