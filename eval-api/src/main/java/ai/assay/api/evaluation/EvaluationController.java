package ai.assay.api.evaluation;

import ai.assay.api.auth.ApiToken;
import ai.assay.api.auth.Scope;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.api.problem.RequestParameters;
import ai.assay.api.problem.RequestParameters.PageRequest;
import ai.assay.api.system.ApiProperties;
import ai.assay.core.evaluation.CancelOutcome;
import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationFilter;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.RunState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Submitting, listing, reading and cancelling evaluations. */
@RestController
@RequestMapping("/evaluations")
class EvaluationController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final EvaluationRequestParser parser;
    private final EvaluationSubmissions submissions;
    private final EvaluationRepository evaluations;
    private final EvaluationCancellations cancellations;
    private final JsonMapper mapper;
    private final ApiProperties properties;

    EvaluationController(
            EvaluationRequestParser parser,
            EvaluationSubmissions submissions,
            EvaluationRepository evaluations,
            EvaluationCancellations cancellations,
            JsonMapper mapper,
            ApiProperties properties) {
        this.parser = parser;
        this.submissions = submissions;
        this.evaluations = evaluations;
        this.cancellations = cancellations;
        this.mapper = mapper;
        this.properties = properties;
    }

    @Operation(
            summary = "Submit an evaluation",
            description = "Validates and queues the evaluation and answers at once; a worker runs it later."
                    + " With an Idempotency-Key, a retry with the same body returns the first evaluation (200)"
                    + " and a different body under the same key is a 409.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(schema = @Schema(implementation = CreateEvaluationRequest.class))))
    @ApiResponse(responseCode = "202", description = "Queued")
    @ApiResponse(responseCode = "200", description = "Already submitted with this Idempotency-Key")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EvaluationView> submit(
            @RequestBody JsonNode body,
            @Parameter(description = "Makes retries safe: the same key and body never create a second evaluation")
                    @RequestHeader(name = IDEMPOTENCY_KEY, required = false)
                    String idempotencyKey,
            HttpServletRequest request,
            @AuthenticationPrincipal ApiToken caller) {
        checkOneIdempotencyKey(request);
        var evaluation = parser.parse(body);
        String requestHash = idempotencyKey == null ? null : RequestHash.of(body, mapper);
        var submission = submissions.submit(evaluation, caller.id(), idempotencyKey, requestHash);
        EvaluationView view = EvaluationView.of(find(submission.evaluationId().toString()));
        return ResponseEntity.status(submission.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .header("Location", "/evaluations/" + submission.evaluationId())
                .body(view);
    }

    @Operation(summary = "Read an evaluation: its state, each task's progress, metrics once known, errors")
    @GetMapping("/{id}")
    EvaluationView get(@PathVariable String id) {
        return EvaluationView.of(find(id));
    }

    @Operation(summary = "List evaluations, newest first")
    @GetMapping
    EvaluationPageView list(
            @Parameter(description = "queued, running, succeeded, failed or cancelled") @RequestParam(required = false)
                    String state,
            @Parameter(description = "The exact model name") @RequestParam(required = false) String model,
            @Parameter(description = "key:value; repeat to require several labels")
                    @RequestParam(name = "label", required = false)
                    List<String> labels,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) Integer size) {
        PageRequest request =
                RequestParameters.page(page, size, properties.defaultPageSize(), properties.maxPageSize());
        var filter = new EvaluationFilter(
                state == null ? null : parseState(state), model, parseLabels(labels == null ? List.of() : labels));
        return EvaluationPageView.of(evaluations.search(filter, (int) request.page(), request.size()));
    }

    @Operation(
            summary = "Cancel an evaluation",
            description = "A queued evaluation is cancelled at once (200). A running one is marked for"
                    + " cancellation and its worker stops it within seconds (202). Cancelling a cancelled"
                    + " evaluation again is harmless (200); one that succeeded or failed gives 409.")
    @PostMapping(path = "/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EvaluationView> cancel(@PathVariable String id, @AuthenticationPrincipal ApiToken caller) {
        UUID evaluationId = parseId(id);
        Evaluation before = find(id);
        if (!caller.allows(Scope.ADMIN) && !caller.id().equals(before.submittedBy())) {
            throw new ProblemException(
                    ProblemKind.INSUFFICIENT_SCOPE,
                    "the evaluation was submitted by another token; cancelling it needs the 'admin' scope",
                    Map.of("requiredScope", Scope.ADMIN.value()));
        }
        CancelOutcome outcome = cancellations.cancel(evaluationId).orElseThrow(() -> notFound(id));
        Evaluation evaluation = find(id);
        if (outcome == CancelOutcome.ALREADY_FINISHED
                && evaluation.state() != RunState.CANCELLED
                && !evaluation.cancelRequested()) {
            throw new ProblemException(
                    ProblemKind.EVALUATION_FINISHED,
                    "the evaluation already %s".formatted(evaluation.state().value()),
                    Map.of("state", evaluation.state().value()));
        }
        HttpStatus status = evaluation.state() == RunState.RUNNING ? HttpStatus.ACCEPTED : HttpStatus.OK;
        return ResponseEntity.status(status).body(EvaluationView.of(evaluation));
    }

    /**
     * Tomcat joins repeated headers with commas, so two Idempotency-Key headers would pass as one key that neither
     * retry sends again; a request with two keys is refused instead.
     */
    private static void checkOneIdempotencyKey(HttpServletRequest request) {
        int keys = Collections.list(request.getHeaders(IDEMPOTENCY_KEY)).size();
        if (keys > 1) {
            throw new ProblemException(
                    ProblemKind.INVALID_IDEMPOTENCY_KEY,
                    "the request has %d Idempotency-Key headers; send one".formatted(keys));
        }
    }

    private Evaluation find(String id) {
        return evaluations.findById(parseId(id)).orElseThrow(() -> notFound(id));
    }

    private static UUID parseId(String id) {
        return RequestParameters.uuid(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemKind.NOT_FOUND, "there is no evaluation with id '%s'".formatted(id));
    }

    private static RunState parseState(String state) {
        return RunState.parse(state)
                .orElseThrow(() -> RequestParameters.invalid(
                        "state",
                        "'state' must be one of "
                                + Arrays.stream(RunState.values())
                                        .map(RunState::value)
                                        .toList()));
    }

    private static Map<String, String> parseLabels(List<String> labels) {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String label : labels) {
            int colon = label.indexOf(':');
            if (colon <= 0 || !Labels.isValidKey(label.substring(0, colon))) {
                throw RequestParameters.invalid(
                        "label", "'label' must be written key:value, but was '%s'".formatted(label));
            }
            parsed.put(label.substring(0, colon), label.substring(colon + 1));
        }
        return parsed;
    }
}
