package ai.assay.api.alpacaeval;

import ai.assay.api.auth.ApiToken;
import ai.assay.api.auth.Scope;
import ai.assay.api.evaluation.EvaluationView;
import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.core.alpacaeval.data.EvalSetEntry;
import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.evaluation.EvaluationRepository;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
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

/** Brings results computed elsewhere onto Assay's leaderboards. */
@RestController
class AlpacaEvalImportController {

    private final AlpacaEvalImports imports;
    private final AlpacaEvalData data;
    private final EvaluationRepository evaluations;

    AlpacaEvalImportController(AlpacaEvalImports imports, AlpacaEvalData data, EvaluationRepository evaluations) {
        this.imports = imports;
        this.data = data;
        this.evaluations = evaluations;
    }

    @Operation(
            summary = "Import an alpaca_eval annotations.json as a finished evaluation",
            description =
                    "Body: {\"model\": name, \"annotator\": name, \"annotations\": [the records of an"
                            + " annotations.json], \"labels\": {...}}. Creates a succeeded evaluation with an alpaca_eval task"
                            + " holding the judgments, the model's outputs and WR/LCWR computed as alpaca_eval does. Records"
                            + " must be AlpacaEval instructions, each once; a bad record is named by its position and nothing"
                            + " is stored. A model that already has leaderboard results is refused (409) unless the body"
                            + " says \"replace\": true, which needs the admin scope. Its own body limit: assay.api.import-max-request-body-size (64 MiB).")
    @PostMapping(
            path = "/imports/alpaca-eval",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EvaluationView> importAnnotations(
            @RequestBody JsonNode body, @AuthenticationPrincipal ApiToken caller) {
        List<EvalSetEntry> evalSet;
        UUID id;
        try {
            evalSet = data.evalSet();
            AlpacaEvalImport imported = AlpacaEvalImportParser.parse(body, evalSet);
            if (imported.replace() && !caller.allows(Scope.ADMIN)) {
                throw new ProblemException(
                        ProblemKind.INSUFFICIENT_SCOPE,
                        "an import with \"replace\": true takes the place of a model's results, which needs the"
                                + " 'admin' scope",
                        Map.of("requiredScope", Scope.ADMIN.value()));
            }
            id = imports.store(imported, caller.id());
        } catch (DatasetUnavailableException e) {
            throw new ProblemException(ProblemKind.DATASET_UNAVAILABLE, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Location", "/evaluations/" + id)
                .body(EvaluationView.of(evaluations.findById(id).orElseThrow()));
    }
}
