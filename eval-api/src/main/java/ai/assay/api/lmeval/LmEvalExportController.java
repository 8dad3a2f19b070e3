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
import ai.assay.reference.python.PyFloats;
import ai.assay.reference.python.PyValues;
import io.swagger.v3.oas.annotations.Operation;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An evaluation's lm-eval tasks in lm-eval's own file formats, so runs made here and with lm-eval compare line by
 * line: {@code samples_<task>.jsonl} and the {@code results.json} structure. {@code {task}} is a task of the
 * evaluation, or a task inside one of its groups (e.g. {@code mmlu_astronomy} of an {@code mmlu} run).
 */
@RestController
class LmEvalExportController {

    static final MediaType JSONL = MediaType.parseMediaType("application/jsonl;charset=UTF-8");

    /** lm-eval's sanitize_model_name. */
    private static final Pattern SANITIZE = Pattern.compile("[\"<>:/|\\\\?*\\[\\]]+");

    private final EvaluationRepository evaluations;
    private final SampleScoreReader samples;
    private final LmEvalCatalog catalog;
    private final JsonMapper mapper;

    LmEvalExportController(
            EvaluationRepository evaluations, SampleScoreReader samples, LmEvalCatalog catalog, JsonMapper mapper) {
        this.evaluations = evaluations;
        this.samples = samples;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** The evaluation task holding {@code name}, and the subtask asked for (null for the whole task). */
    private record Located(Evaluation evaluation, EvaluationTask task, String subtask) {
        String scope() {
            return subtask == null ? task.name() : subtask;
        }
    }

    @Operation(
            summary = "A task's per-document records as lm-eval's samples_<task>.jsonl",
            description = "One JSON line per scored document and filter, as lm-eval --log_samples writes it: doc,"
                    + " target, arguments (a generation task's context and gen_kwargs), resps, filtered_resps,"
                    + " filter, metrics, doc_hash, prompt_hash, target_hash and the metric values; a task with"
                    + " several filters lists every document under the first, then under the next. Readable while"
                    + " the task runs (what is scored so far).")
    @GetMapping(path = "/evaluations/{id}/tasks/{task}/samples", produces = "application/jsonl")
    ResponseEntity<StreamingResponseBody> samples(@PathVariable String id, @PathVariable String task) {
        Located located = locate(id, task);
        StreamingResponseBody body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            forEachLine(located, (leaf, line) -> {
                try {
                    writer.write(line);
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
            description = "As lm-eval v0.4.12 writes results_<date>.json: results (tasks with name, alias,"
                    + " sample_len and \"acc,none\", \"acc_stderr,none\"; groups bottom-up with sample_count),"
                    + " groups, group_subtasks, configs, versions, n-shot, higher_is_better, n-samples, config, date,"
                    + " task_hashes, model_source, model_name, system_instruction, fewshot_as_multiturn,"
                    + " chat_template, total_evaluation_time_seconds; then Assay's own fields under assay."
                    + " Computed from the stored documents; 409 until the task has succeeded.")
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
        var model = located.evaluation().model();
        // lm-eval's model_args string and, parsed (simple_parse_args_string), what it merges into each metadata.
        Map<String, Object> modelArgs = new LinkedHashMap<>();
        modelArgs.put("pretrained", model.uri());
        if (model.revision() != null) {
            modelArgs.put("revision", model.revision());
        }
        if (model.adapter() != null) {
            // lm-eval's hf model takes a PEFT adapter as peft=<path>, applied to pretrained
            modelArgs.put("peft", model.adapter());
        }
        if (options.addBosToken() != null) {
            modelArgs.put("add_bos_token", options.addBosToken());
        }
        if (options.maxLength() != null) {
            modelArgs.put("max_length", (long) options.maxLength());
        }
        ObjectNode json = results.toJson(originalCounts(located.task()), modelArgs);
        StringBuilder modelArgsText = new StringBuilder();
        modelArgs.forEach((key, value) -> modelArgsText
                .append(modelArgsText.isEmpty() ? "" : ",")
                .append(key)
                .append('=')
                .append(PyValues.str(value)));
        ObjectNode config = json.putObject("config");
        config.put("model", "assay");
        config.put("model_args", modelArgsText.toString());
        config.put("batch_size", options.batchSize());
        config.putArray("batch_sizes");
        config.putNull("use_cache");
        if (options.limit() == null) {
            config.putNull("limit");
        } else {
            config.put("limit", options.limit());
        }
        config.put("bootstrap_iters", 100000);
        config.putNull("gen_kwargs");
        config.put("random_seed", 0);
        config.put("numpy_seed", 1234);
        config.put("torch_seed", 1234);
        config.put("fewshot_seed", options.fewshotSeed());
        EvaluationTask run = located.task();
        if (run.startedAt() != null) {
            json.put("date", run.startedAt().toEpochMilli() / 1000.0);
        }
        json.set("task_hashes", taskHashes(located));
        writeTracker(json, run, model.uri());
        ObjectNode assay = json.putObject("assay");
        assay.put("evaluationId", located.evaluation().id().toString());
        assay.put("task", run.name());
        assay.put("modelName", model.name());
        assay.set("options", run.options());
        JsonNode lmEval = run.result() == null ? null : run.result().get("lmEval");
        if (lmEval != null && lmEval.has("datasets")) {
            assay.set("datasets", lmEval.get("datasets"));
        }
        return json;
    }

    /**
     * lm-eval's {@code task_hashes}: per task, the SHA-256 of its samples' {@code doc_hash + prompt_hash +
     * target_hash} joined in the order of {@code samples_<task>.jsonl}.
     */
    private ObjectNode taskHashes(Located located) {
        Map<String, StringBuilder> joined = new LinkedHashMap<>();
        forEachLine(located, (leaf, text) -> {
            JsonNode line = mapper.readTree(text);
            joined.computeIfAbsent(leaf.name(), k -> new StringBuilder())
                    .append(line.get("doc_hash").stringValue())
                    .append(line.get("prompt_hash").stringValue())
                    .append(line.get("target_hash").stringValue());
        });
        ObjectNode hashes = mapper.createObjectNode();
        for (LmEvalTask leaf : catalog.leaves(located.scope())) {
            StringBuilder text = joined.get(leaf.name());
            if (text != null) {
                hashes.put(leaf.name(), SampleRecords.sha256(text.toString()));
            }
        }
        return hashes;
    }

    /**
     * Every line of the scope's samples files, with its leaf task, in lm-eval's order: task by task, and within a
     * task every document under its first filter, then every document under the next ({@code evaluate()} loops
     * over the filters outside the documents), so a task with several filters (gsm8k's {@code strict-match} and
     * {@code flexible-extract}) is read once per filter. Where every task has one filter the rows are read once,
     * in document order.
     */
    private void forEachLine(Located located, BiConsumer<LmEvalTask, String> sink) {
        long taskId = located.task().id();
        List<LmEvalTask> leaves = catalog.leaves(located.scope());
        if (leaves.stream().allMatch(leaf -> SampleRecords.filters(leaf).size() == 1)) {
            samples.forEach(taskId, located.subtask(), row -> {
                LmEvalTask leaf =
                        catalog.task(row.record().get("task").stringValue()).orElseThrow();
                sink.accept(
                        leaf,
                        SampleRecords.samplesLine(
                                leaf,
                                row.record(),
                                row.scores(),
                                SampleRecords.filters(leaf).get(0)));
            });
            return;
        }
        for (LmEvalTask leaf : leaves) {
            for (String filter : SampleRecords.filters(leaf)) {
                samples.forEach(
                        taskId,
                        leaf.name(),
                        row -> sink.accept(leaf, SampleRecords.samplesLine(leaf, row.record(), row.scores(), filter)));
            }
        }
    }

    /**
     * The fields of lm-eval's {@code GeneralConfigTracker}, in its order: the model source, the model name as
     * lm-eval takes it from {@code model_args} (the {@code pretrained} value) and sanitized for a path, the system
     * instruction, few-shot-as-multiturn flag and chat template with their SHA-256 (null when not used; the flag as
     * the run used it under a chat template, whose default here is false), and the evaluation time as Python's
     * {@code str} of the seconds.
     */
    private static void writeTracker(ObjectNode json, EvaluationTask task, String modelName) {
        JsonNode options = task.options() == null ? null : task.options();
        String systemInstruction = text(options, "systemInstruction");
        boolean chat = options != null && options.path("applyChatTemplate").asBoolean(false);
        JsonNode multiturn = options == null ? null : options.get("fewshotAsMultiturn");
        JsonNode lmEval = task.result() == null ? null : task.result().get("lmEval");
        String chatTemplate = chat ? text(lmEval, "chatTemplate") : null;
        json.put("model_source", "assay");
        json.put("model_name", modelName);
        json.put("model_name_sanitized", SANITIZE.matcher(modelName).replaceAll("__"));
        json.put("system_instruction", systemInstruction);
        json.put("system_instruction_sha", systemInstruction == null ? null : SampleRecords.sha256(systemInstruction));
        if (chat) {
            json.put("fewshot_as_multiturn", multiturn != null && multiturn.asBoolean(false));
        } else {
            json.putNull("fewshot_as_multiturn"); // no chat, no turns: lm-eval leaves it unset
        }
        json.put("chat_template", chatTemplate);
        json.put("chat_template_sha", chatTemplate == null ? null : SampleRecords.sha256(chatTemplate));
        if (task.startedAt() != null && task.finishedAt() != null) {
            double seconds =
                    Duration.between(task.startedAt(), task.finishedAt()).toNanos() / 1e9;
            json.put("total_evaluation_time_seconds", PyFloats.repr(seconds));
        } else {
            json.putNull("total_evaluation_time_seconds");
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field) || !node.get(field).isString()) {
            return null;
        }
        return node.get(field).stringValue();
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
