package ai.assay.api.alpacaeval;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.alpacaeval.AlpacaEvalTaskCatalog;
import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.core.alpacaeval.metrics.AlpacaEvalMetricValues;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.leaderboard.LeaderboardStore;
import ai.assay.core.results.NewGeneration;
import ai.assay.core.results.NewJudgment;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.core.task.ResolvedTask;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.judging.OutputOrder;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalMetrics;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalScores;
import ai.assay.reference.alpacaeval.metrics.LengthControlUndefinedException;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an alpaca_eval annotations file into a finished evaluation: an {@code alpaca_eval} task holding the
 * judgments, the model's outputs and the metrics computed from them exactly as for a run, all in one transaction.
 */
@Service
class AlpacaEvalImports {

    /** Imported evaluations name no model directory: nothing was run here. */
    static final String IMPORTED_MODEL_URI = "import:alpaca-eval";

    private final EvaluationRepository evaluations;
    private final TaskResultRepository results;
    private final EvaluationEndings endings;
    private final AlpacaEvalData data;
    private final LeaderboardStore leaderboard;

    AlpacaEvalImports(
            EvaluationRepository evaluations,
            TaskResultRepository results,
            EvaluationEndings endings,
            AlpacaEvalData data,
            LeaderboardStore leaderboard) {
        this.leaderboard = leaderboard;
        this.evaluations = evaluations;
        this.results = results;
        this.endings = endings;
        this.data = data;
    }

    @Transactional
    UUID store(AlpacaEvalImport imported, UUID submittedBy) {
        evaluations.lockModelName(imported.model());
        if (!imported.replace()) {
            leaderboard.latestEvaluation(imported.model(), null).ifPresent(existing -> {
                throw new ProblemException(
                        ProblemKind.MODEL_HAS_RESULTS,
                        ("the model '%s' already has leaderboard results (evaluation %s); an import would take their"
                                        + " place. Import under another name, or send \"replace\": true with an admin"
                                        + " token")
                                .formatted(imported.model(), existing),
                        Map.of("evaluationId", existing));
            });
        }
        List<HeadToHeadAnnotation> annotations = imported.records().stream()
                .map(AlpacaEvalImport.Record::annotation)
                .toList();
        AlpacaEvalScores scores;
        try {
            scores = new AlpacaEvalMetrics(
                            new LengthControlledWinRate(data.lengthControlData().gamedBaseline()))
                    .score(annotations);
        } catch (LengthControlUndefinedException e) {
            throw new ProblemException(ProblemKind.LENGTH_CONTROL_UNDEFINED, e.getMessage());
        }

        ObjectNode options = JsonNodeFactory.instance
                .objectNode()
                .put("annotator", imported.annotator())
                .put("limit", imported.records().size());
        ObjectNode spec = JsonNodeFactory.instance
                .objectNode()
                .put("import", "alpaca-eval")
                .put("model", imported.model())
                .put("annotator", imported.annotator())
                .put("records", imported.records().size());
        UUID id = evaluations.insertSucceeded(
                new NewEvaluation(
                        new ModelRef(imported.model(), IMPORTED_MODEL_URI, null, null),
                        List.of(new ResolvedTask(AlpacaEvalTaskCatalog.NAME, options)),
                        imported.labels(),
                        0,
                        null,
                        1,
                        spec),
                submittedBy);
        long taskId = evaluations.findById(id).orElseThrow().tasks().get(0).id();

        results.insertGenerations(
                taskId,
                0,
                imported.records().stream()
                        .map(row -> new NewGeneration(
                                Integer.toString(row.exampleIndex()),
                                row.annotation().instruction(),
                                row.annotation().output2(),
                                null,
                                null,
                                "provided",
                                null))
                        .toList());
        results.insertJudgments(
                taskId,
                0,
                imported.records().stream().map(row -> judgment(imported, row)).toList());
        int missing = (int) annotations.stream()
                .filter(annotation -> annotation.preference() == null)
                .count();
        results.replaceMetrics(taskId, AlpacaEvalMetricValues.of(scores, missing));
        results.saveResult(taskId, AlpacaEvalMetricValues.glmResult(scores).put("imported", true));
        endings.ended(id);
        return id;
    }

    private static NewJudgment judgment(AlpacaEvalImport imported, AlpacaEvalImport.Record row) {
        HeadToHeadAnnotation annotation = row.annotation();
        return new NewJudgment(
                Integer.toString(row.exampleIndex()),
                imported.annotator(),
                annotation.instruction(),
                annotation.output1(),
                annotation.generator1() == null ? "reference" : annotation.generator1(),
                annotation.output2(),
                imported.model(),
                OutputOrder.isSwitched(annotation.instruction()),
                annotation.preference(),
                row.rawCompletion(),
                null,
                null,
                row.costUsd() == null ? null : BigDecimal.valueOf(row.costUsd()),
                false,
                row.latencyMillis());
    }
}
