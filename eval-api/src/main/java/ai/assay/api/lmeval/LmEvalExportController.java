package ai.assay.api.lmeval;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.EvaluationTask;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.LmEvalOptions;
import ai.assay.core.lmeval.LmEvalResults;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.SampleRecords;
import io.swagger.v3.oas.annotations.Operation;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An evaluation's lm-eval tasks in lm-eval's own file formats, so runs made here and with lm-eval compare line by
 * line: {@code samples_<task>.jsonl} and the {@code results.json} structure. {@code {task}} is a task of the
 * evaluation, or a task inside one of its groups (e.g. {@code mmlu_astronomy} of an {@code mmlu} run).
 */
@RestController
class LmEvalExportController {

    static final MediaType JSONL = MediaType.parseMediaType("application/jsonl;charset=UTF-8");

    private final EvaluationRepository evaluations;
    private final SampleScoreReader samples;
    private final LmEvalCatalog catalog;

    LmEvalExportController(EvaluationRepository evaluations, SampleScoreReader samples, LmEvalCatalog catalog) {
        this.evaluations = evaluations;
        this.samples = samples;
        this.catalog = catalog;
    }

    /** The evaluation task holding {@code name}, and the subtask asked for (null for the whole task). */
    private record Located(Evaluation evaluation, EvaluationTask task, String subtask) {
        String scope() {
            return subtask == null ? task.name() : subtask;
        }
    }

    @Operation(
            summary = "A task's per-document records as lm-eval's samples_<task>.jsonl",
            description = "One JSON line per scored document, as lm-eval --log_samples writes it: doc, target,"
                    + " arguments, resps, filtered_resps, metrics, doc_hash, prompt_hash, target_hash and the"
                    + " metric values. Readable while the task runs (what is scored so far).")
    @GetMapping(path = "/evaluations/{id}/tasks/{task}/samples", produces = "application/jsonl")
    ResponseEntity<StreamingResponseBody> samples(@PathVariable String id, @PathVariable String task) {
        Located located = locate(id, task);
        StreamingResponseBody body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            samples.forEach(located.task().id(), located.subtask(), row -> {
                LmEvalTask leaf =
                        catalog.task(row.record().get("task").stringValue()).orElseThrow();
                try {
                    writer.write(SampleRecords.samplesLine(leaf, row.record(), row.scores()));
                    writer.write('\n');
                } catch (java.io.IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(JSONL)
                .header("Content-Disposition", "inline; filename=\"samples_" + located.scope() + ".jsonl\"")
                .body(body);
    }

    @Operation(
            summary = "A task's results in the structure of lm-eval's results.json",
            description = "results[task][\"acc,none\"], \"acc_stderr,none\", groups, group_subtasks, configs,"
                    + " versions, n-shot, higher_is_better, n-samples, config; computed from the stored documents."
                    + " 409 until the task has succeeded.")
    @GetMapping(path = "/evaluations/{id}/tasks/{task}/results", produces = MediaType.APPLICATION_JSON_VALUE)
    ObjectNode results(@PathVariable String id, @PathVariable String task) {
        Located located = locate(id, task);
        if (located.task().state() != RunState.SUCCEEDED) {
            throw new ProblemException(
                    ProblemKind.TASK_NOT_FINISHED,
                    "task '%s' is %s"
                            .formatted(
                                    located.task().name(),
                                    located.task().state().value()),
                    Map.of("state", located.task().state().value()));
        }
        LmEvalOptions options = LmEvalOptions.of(located.task().options());
        Map<String, List<Map<String, Double>>> scores =
                samples.scoresByTask(located.task().id());
        LmEvalResults results = new LmEvalResults(catalog, located.scope(), options, scores);
        ObjectNode json = results.toJson(originalCounts(located.task()));
        ObjectNode config = json.putObject("config");
        var model = located.evaluation().model();
        StringBuilder modelArgs = new StringBuilder("pretrained=").append(model.uri());
        if (model.revision() != null) {
            modelArgs.append(",revision=").append(model.revision());
        }
        if (options.addBosToken() != null) {
            modelArgs.append(",add_bos_token=").append(options.addBosToken() ? "True" : "False");
        }
        if (options.maxLength() != null) {
            modelArgs.append(",max_length=").append(options.maxLength());
        }
        config.put("model", "assay");
        config.put("model_args", modelArgs.toString());
        config.put("model_name", model.name());
        config.put("batch_size", options.batchSize());
        if (options.limit() == null) {
            config.putNull("limit");
        } else {
            config.put("limit", options.limit());
        }
        config.put("bootstrap_iters", 100000);
        config.put("random_seed", 0);
        config.put("numpy_seed", 1234);
        config.put("torch_seed", 1234);
        config.put("fewshot_seed", options.fewshotSeed());
        ObjectNode assay = json.putObject("assay");
        assay.put("evaluationId", located.evaluation().id().toString());
        assay.put("task", located.task().name());
        assay.set("options", located.task().options());
        JsonNode lmEval =
                located.task().result() == null ? null : located.task().result().get("lmEval");
        if (lmEval != null && lmEval.has("datasets")) {
            assay.set("datasets", lmEval.get("datasets"));
        }
        return json;
    }

    private static Map<String, Integer> originalCounts(EvaluationTask task) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        JsonNode result = task.result();
        if (result != null && result.path("lmEval").has("originalCounts")) {
            result.get("lmEval")
                    .get("originalCounts")
                    .properties()
                    .forEach(e -> counts.put(e.getKey(), e.getValue().intValue()));
        }
        return counts;
    }

    private Located locate(String id, String name) {
        UUID evaluationId;
        try {
            evaluationId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound("there is no evaluation with id '%s'".formatted(id));
        }
        Evaluation evaluation = evaluations
                .findById(evaluationId)
                .orElseThrow(() -> notFound("there is no evaluation with id '%s'".formatted(id)));
        for (EvaluationTask task : evaluation.tasks()) {
            if (task.name().equals(name) && catalog.contains(name)) {
                return new Located(evaluation, task, null);
            }
        }
        for (EvaluationTask task : evaluation.tasks()) {
            if (catalog.contains(task.name()) && catalog.group(task.name()).isPresent()) {
                Optional<LmEvalTask> inside = catalog.leaves(task.name()).stream()
                        .filter(leaf -> leaf.name().equals(name))
                        .findFirst();
                if (inside.isPresent()) {
                    return new Located(evaluation, task, name);
                }
            }
        }
        throw notFound("evaluation %s has no lm-eval task '%s'".formatted(id, name));
    }

    private static ProblemException notFound(String detail) {
        return new ProblemException(ProblemKind.NOT_FOUND, detail);
    }
}
