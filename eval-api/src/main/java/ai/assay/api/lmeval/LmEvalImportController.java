package ai.assay.api.lmeval;

import ai.assay.api.auth.ApiToken;
import ai.assay.api.auth.Scope;
import ai.assay.api.evaluation.EvaluationView;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.evaluation.EvaluationRepository;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Brings runs that lm-eval made elsewhere onto Assay's leaderboards, checked against Assay's own scoring. */
@RestController
class LmEvalImportController {

    private final LmEvalImports imports;
    private final EvaluationRepository evaluations;

    LmEvalImportController(LmEvalImports imports, EvaluationRepository evaluations) {
        this.imports = imports;
        this.evaluations = evaluations;
    }

    @Operation(
            summary = "Import an lm-eval run (results_*.json with its samples_<task>.jsonl) as a finished evaluation",
            description = "Body: {\"model\": {\"name\": leaderboard name, \"revision\": optional}, \"results\": {the"
                    + " results_*.json}, \"samples\": {\"<task>\": \"<text of samples_<task>.jsonl>\" or [its lines"
                    + " as objects]}, \"labels\": {...}, \"replace\": false}. Every task and group of the"
                    + " results.json must be one Assay knows, at the version Assay scores; every document it counts"
                    + " must have its lines (one per filter), of Assay's rows; the responses are scored again as"
                    + " Assay scores a run, and the per-sample values and the aggregates must be those the files"
                    + " give. Any mismatch is a problem naming it, and nothing is stored. Creates a succeeded"
                    + " evaluation with a task per top-level task or group, holding per-sample scores and metrics as"
                    + " a run does. A model that already has leaderboard results is refused (409) unless the body"
                    + " says \"replace\": true, which needs the admin scope. Its own body limit:"
                    + " assay.api.import-max-request-body-size (64 MiB).")
    @PostMapping(
            path = "/imports/lm-eval",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EvaluationView> importRun(@RequestBody JsonNode body, @AuthenticationPrincipal ApiToken caller) {
        LmEvalImport imported = LmEvalImportParser.parse(body);
        if (imported.replace() && !caller.allows(Scope.ADMIN)) {
            throw new ProblemException(
                    ProblemKind.INSUFFICIENT_SCOPE,
                    "an import with \"replace\": true takes the place of a model's results, which needs the 'admin'"
                            + " scope",
                    Map.of("requiredScope", Scope.ADMIN.value()));
        }
        UUID id;
        try {
            id = imports.store(imported, caller.id());
        } catch (DatasetUnavailableException e) {
            throw new ProblemException(ProblemKind.DATASET_UNAVAILABLE, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/evaluations/" + id)
                .body(EvaluationView.of(evaluations.findById(id).orElseThrow()));
    }
}
