package ai.assay.api.alpacaeval;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.alpacaeval.AlpacaEvalTaskCatalog;
import ai.assay.core.alpacaeval.data.AlpacaEvalData;
import ai.assay.core.alpacaeval.data.EvalSetEntry;
import ai.assay.core.datasets.DatasetUnavailableException;
import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.EvaluationTask;
import ai.assay.core.results.StoredGeneration;
import ai.assay.core.results.StoredJudgment;
import ai.assay.core.results.TaskResultRepository;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An alpaca_eval task's outputs and judgments in the files alpaca_eval itself reads and writes:
 * {@code model_outputs.json} and {@code annotations.json}, in eval-set order.
 */
@RestController
class AlpacaEvalExportController {

    private static final String BASE = "/evaluations/{id}/tasks/" + AlpacaEvalTaskCatalog.NAME;

    private final EvaluationRepository evaluations;
    private final TaskResultRepository results;
    private final AlpacaEvalData data;

    AlpacaEvalExportController(EvaluationRepository evaluations, TaskResultRepository results, AlpacaEvalData data) {
        this.evaluations = evaluations;
        this.results = results;
        this.data = data;
    }

    @Operation(
            summary = "The model's AlpacaEval answers as alpaca_eval's model_outputs.json",
            description = "A JSON array of {instruction, output, generator, dataset}, in eval-set order; while the"
                    + " task runs, the answers generated so far.")
    @GetMapping(BASE + "/outputs")
    ArrayNode outputs(@PathVariable String id) {
        Evaluation evaluation = evaluation(id);
        long taskId = task(evaluation).id();
        Map<Integer, String> datasets = datasetsByIndex();
        ArrayNode outputs = JsonNodeFactory.instance.arrayNode();
        results.generations(taskId).values().stream()
                .sorted(Comparator.comparingInt((StoredGeneration g) -> Integer.parseInt(g.exampleId())))
                .forEach(generation -> outputs.addObject()
                        .put("instruction", generation.prompt())
                        .put("output", generation.output())
                        .put("generator", evaluation.model().name())
                        .put("dataset", datasets.get(Integer.parseInt(generation.exampleId()))));
        return outputs;
    }

    @Operation(
            summary = "The judge's verdicts as alpaca_eval's annotations.json",
            description = "A JSON array of records with instruction, output_1 (reference), generator_1, dataset,"
                    + " output_2 (model), generator_2, annotator, preference, raw_completion, price_per_example and"
                    + " time_per_example, in eval-set order; a preference of null is a completion that could not be"
                    + " parsed.")
    @GetMapping(BASE + "/annotations")
    ArrayNode annotations(@PathVariable String id) {
        EvaluationTask task = task(evaluation(id));
        String annotator = task.options().path("annotator").asString(AlpacaEvalTaskCatalog.DEFAULT_ANNOTATOR);
        Map<Integer, String> datasets = datasetsByIndex();
        ArrayNode annotations = JsonNodeFactory.instance.arrayNode();
        results.judgments(task.id(), annotator).values().stream()
                .sorted(Comparator.comparingInt((StoredJudgment j) -> Integer.parseInt(j.exampleId())))
                .forEach(judgment -> {
                    ObjectNode record = annotations
                            .addObject()
                            .put("instruction", judgment.instruction())
                            .put("output_1", judgment.output1())
                            .put("generator_1", judgment.generator1())
                            .put("dataset", datasets.get(Integer.parseInt(judgment.exampleId())))
                            .put("output_2", judgment.output2())
                            .put("generator_2", judgment.generator2())
                            .put("annotator", judgment.annotator());
                    if (judgment.preference() == null) {
                        record.putNull("preference");
                    } else {
                        record.put("preference", judgment.preference());
                    }
                    record.set("raw_completion", judgment.rawCompletion());
                    record.put("price_per_example", judgment.costUsd());
                    record.put(
                            "time_per_example",
                            judgment.latencyMillis() == null ? null : judgment.latencyMillis() / 1000.0);
                });
        return annotations;
    }

    private Map<Integer, String> datasetsByIndex() {
        try {
            return data.evalSet().stream()
                    .filter(e -> e.dataset() != null)
                    .collect(Collectors.toMap(EvalSetEntry::index, EvalSetEntry::dataset, (a, b) -> a));
        } catch (DatasetUnavailableException e) {
            return Map.of();
        }
    }

    private Evaluation evaluation(String id) {
        try {
            return evaluations.findById(UUID.fromString(id)).orElseThrow(() -> notFound(id));
        } catch (IllegalArgumentException e) {
            throw notFound(id);
        }
    }

    private static EvaluationTask task(Evaluation evaluation) {
        return evaluation.tasks().stream()
                .filter(t -> t.name().equals(AlpacaEvalTaskCatalog.NAME))
                .findFirst()
                .orElseThrow(() -> new ProblemException(
                        ProblemKind.NOT_FOUND, "evaluation %s has no alpaca_eval task".formatted(evaluation.id())));
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(ProblemKind.NOT_FOUND, "there is no evaluation with id '%s'".formatted(id));
    }
}
