package ai.assay.reference.lmeval;

import ai.assay.reference.lmeval.filters.FilterPipeline;
import ai.assay.reference.python.PyFloats;
import ai.assay.reference.python.PyJson;
import ai.assay.reference.python.PyValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The per-document record Assay stores ({@code sample_score.record}) and its export as a line of lm-eval's
 * {@code samples_<task>.jsonl}.
 *
 * <p>Stored: {@code {"task", "doc_id", "doc" (the row as JSON text, because jsonb would reorder its members and
 * lm-eval's doc_hash depends on their order), "target", "contexts": [distinct contexts], "arguments":
 * [[context index, continuation], ...],
 * "resps": [[loglikelihood, is_greedy], ...], "tokens": [[context tokens, continuation tokens, truncated], ...]}}.
 *
 * <p>Exported exactly as lm-eval's {@code EvaluationTracker} writes a line (Python's {@code json.dumps} with
 * {@code ensure_ascii=False}): {@code doc_id, doc, target, arguments {gen_args_i: {arg_0, arg_1}}, resps
 * [[["ll", "False"]]], filtered_resps, filter, metrics, doc_hash, prompt_hash, target_hash}, then the metric
 * values. Responses are Python's {@code str()} of the float and bool. A {@code generate_until} document
 * ({@link #generationRecord}) is a line per filter of its task ({@link #samplesLine(LmEvalTask, JsonNode, JsonNode,
 * String)}).
 */
public final class SampleRecords {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SampleRecords() {}

    /** Token counts of one request as scored: after the whitespace move, the split and truncation. */
    public record TokenCounts(int context, int continuation, boolean truncated) {}

    public static ObjectNode record(DocRequests doc, List<LogLikelihood> responses, List<TokenCounts> tokens) {
        ObjectNode record = F.objectNode();
        record.put("task", doc.task());
        record.put("doc_id", doc.docId());
        record.put("doc", MAPPER.writeValueAsString(doc.doc().json()));
        record.put("target", doc.target());
        List<String> contexts = doc.arguments().stream()
                .map(ScoringArguments::context)
                .distinct()
                .toList();
        ArrayNode contextArray = record.putArray("contexts");
        contexts.forEach(contextArray::add);
        ArrayNode arguments = record.putArray("arguments");
        doc.arguments()
                .forEach(a ->
                        arguments.addArray().add(contexts.indexOf(a.context())).add(a.continuation()));
        ArrayNode resps = record.putArray("resps");
        responses.forEach(r -> resps.addArray().add(r.logLikelihood()).add(r.greedy()));
        if (tokens != null) {
            ArrayNode counts = record.putArray("tokens");
            tokens.forEach(t ->
                    counts.addArray().add(t.context()).add(t.continuation()).add(t.truncated()));
        }
        return record;
    }

    /**
     * The stored record of a {@code generate_until} document: {@code {"task", "doc_id", "doc", "target", "context",
     * "gen_kwargs", "resps": [response per repeat], "filtered_resps": {filter: result}, "tokens": {"prompt",
     * "truncated", "generated": [per repeat]}}}; tokens are absent for responses made elsewhere.
     *
     * @param filtered each filter pipeline's result by name, in {@code filter_list} order
     * @param tokens   how the model saw and answered the prompt, or null for responses made elsewhere
     */
    public static ObjectNode generationRecord(
            DocRequests doc, List<String> responses, Map<String, ?> filtered, GenerationTokens tokens) {
        ObjectNode record = F.objectNode();
        record.put("task", doc.task());
        record.put("doc_id", doc.docId());
        record.put("doc", MAPPER.writeValueAsString(doc.doc().json()));
        record.put("target", doc.target());
        record.put("context", doc.generation().context());
        record.set("gen_kwargs", MAPPER.valueToTree(doc.generation().arguments()));
        ArrayNode resps = record.putArray("resps");
        responses.forEach(resps::add);
        ObjectNode filteredNode = record.putObject("filtered_resps");
        filtered.forEach((filter, value) -> filteredNode.set(filter, MAPPER.valueToTree(value)));
        if (tokens != null) {
            ObjectNode counts = record.putObject("tokens");
            counts.put("prompt", tokens.prompt()).put("truncated", tokens.truncated());
            ArrayNode generated = counts.putArray("generated");
            tokens.generated().forEach(generated::add);
        }
        return record;
    }

    /** Token counts of one generation document: its prompt as the model saw it, and each repeat's output. */
    public record GenerationTokens(int prompt, boolean truncated, List<Integer> generated) {

        public GenerationTokens {
            generated = List.copyOf(generated);
        }
    }

    public static ObjectNode scores(Map<String, Double> metrics) {
        ObjectNode scores = F.objectNode();
        metrics.forEach(scores::put);
        return scores;
    }

    /**
     * The filter pipelines a task's documents are written under, in its {@code filter_list}'s order; {@code none}
     * alone for a task without one (every multiple-choice task), as lm-eval's {@code ConfigurableTask} builds them.
     * lm-eval's samples file holds every document once per filter, all documents of the first filter first (its
     * evaluator loops over the filters, then over the documents).
     */
    public static List<String> filters(LmEvalTask task) {
        List<Map<String, Object>> filterList = task.config().filterList();
        if (filterList == null) {
            return List.of(FilterPipeline.DEFAULT_NAME);
        }
        List<String> names = new ArrayList<>();
        for (Map<String, Object> entry : filterList) {
            names.add(String.valueOf(entry.get("name")));
        }
        return List.copyOf(names);
    }

    /**
     * The line of a task with one filter (every multiple-choice task; a generation task without a
     * {@code filter_list}), without the newline.
     *
     * @throws IllegalArgumentException for a task with several filters: its documents have one line each
     */
    public static String samplesLine(LmEvalTask task, JsonNode record, JsonNode scores) {
        List<String> filters = filters(task);
        if (filters.size() != 1) {
            throw new IllegalArgumentException(
                    "%s writes a line per filter %s; name the filter".formatted(task.name(), filters));
        }
        return samplesLine(task, record, scores, filters.get(0));
    }

    /**
     * One line of lm-eval's samples file (without the newline): the document under one filter of its task.
     *
     * <p>A {@code generate_until} document is written as lm-eval v0.4.12's evaluator logs it and
     * {@code EvaluationTracker.save_results_samples} writes it: {@code arguments} its one request
     * {@code {"gen_args_0": {"arg_0": context, "arg_1": gen_kwargs}}}; {@code resps} {@code [[response per repeat]]}
     * and {@code filtered_resps} {@code [that filter's result]}, through {@code sanitize_list} (every leaf as
     * Python's {@code str}); {@code metrics} the names {@code process_results} returned, then their values: for a
     * task scored through its {@code metric_list}, each metric's value under {@code "<metric>,<filter>"} in the
     * stored scores; for a task whose own {@code process_results} Assay runs (IFEval), the values it returned,
     * which the record keeps under {@code metrics} (IFEval's instruction-level lists as lists). The stored record
     * comes back from jsonb with its members reordered, so the order of {@code gen_kwargs}, of the filters and of
     * the metrics is taken from the task's configuration, as upstream takes it.
     *
     * @param filter one of {@link #filters(LmEvalTask)}
     */
    public static String samplesLine(LmEvalTask task, JsonNode record, JsonNode scores, String filter) {
        JsonNode doc = MAPPER.readTree(record.get("doc").stringValue());
        String target = record.get("target").stringValue();
        ObjectNode line = F.objectNode();
        line.put("doc_id", record.get("doc_id").intValue());
        line.set("doc", doc);
        line.put("target", target);
        ObjectNode arguments = line.putObject("arguments");
        ArrayNode resps = line.putArray("resps");
        ArrayNode filtered = line.putArray("filtered_resps");
        String prompt;
        if (record.has("context")) {
            prompt = record.get("context").stringValue();
            arguments
                    .putObject("gen_args_0")
                    .put("arg_0", prompt)
                    .set("arg_1", generationKwargs(task, record.get("gen_kwargs")));
            ArrayNode repeats = resps.addArray();
            record.get("resps").forEach(response -> repeats.add(sanitized(response)));
            JsonNode result = record.path("filtered_resps").get(filter);
            if (result == null) {
                throw new IllegalArgumentException("document %d of %s has no result for the filter %s"
                        .formatted(record.get("doc_id").intValue(), task.name(), filter));
            }
            filtered.add(sanitized(result));
        } else {
            int i = 0;
            List<ScoringArguments> requests = arguments(record);
            for (ScoringArguments argument : requests) {
                arguments
                        .putObject("gen_args_" + i++)
                        .put("arg_0", argument.context())
                        .put("arg_1", argument.continuation());
            }
            prompt = requests.isEmpty() ? "" : requests.get(0).context();
            for (JsonNode response : record.get("resps")) {
                String ll = PyFloats.repr(response.get(0).doubleValue());
                String greedy = response.get(1).booleanValue() ? "True" : "False";
                resps.addArray().addArray().add(ll).add(greedy);
                filtered.addArray().add(ll).add(greedy);
            }
        }
        line.put("filter", filter);
        Map<String, JsonNode> values = metricValues(task, record, scores, filter);
        ArrayNode metricNames = line.putArray("metrics");
        values.keySet().forEach(metricNames::add);
        line.put("doc_hash", sha256(PyJson.dumps(doc, 2)));
        line.put("prompt_hash", sha256(prompt));
        line.put("target_hash", sha256(target));
        values.forEach(line::set);
        return PyJson.dumps(line);
    }

    /**
     * The {@code gen_kwargs} of the request as stored, in the order of the task's {@code generation_kwargs} (after
     * {@code TaskConfig.__post_init__}), any other stored key after them.
     */
    private static ObjectNode generationKwargs(LmEvalTask task, JsonNode stored) {
        ObjectNode kwargs = F.objectNode();
        for (String key : task.config().generationKwargs().asConfigured().keySet()) {
            if (stored.has(key)) {
                kwargs.set(key, stored.get(key));
            }
        }
        stored.properties().forEach(e -> {
            if (!kwargs.has(e.getKey())) {
                kwargs.set(e.getKey(), e.getValue());
            }
        });
        return kwargs;
    }

    /** lm-eval's {@code sanitize_list}: lists kept, every other value as Python's {@code str} of it. */
    private static JsonNode sanitized(JsonNode value) {
        if (value.isArray()) {
            ArrayNode list = F.arrayNode();
            value.forEach(element -> list.add(sanitized(element)));
            return list;
        }
        return F.stringNode(PyValues.str(PyValues.of(value)));
    }

    /** The values {@code process_results} gave the document under {@code filter}, by metric name, in order. */
    private static Map<String, JsonNode> metricValues(
            LmEvalTask task, JsonNode record, JsonNode scores, String filter) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        JsonNode own = record.get("metrics");
        if (own != null && own.isObject()) {
            for (String name : ordered(task, own.propertyNames())) {
                values.put(name, own.get(name));
            }
            return values;
        }
        if (!record.has("context")) {
            for (String name : ordered(task, scores.propertyNames())) {
                values.put(name, scores.get(name));
            }
            return values;
        }
        String suffix = "," + filter;
        List<String> names = new ArrayList<>();
        scores.propertyNames().forEach(key -> {
            if (key.endsWith(suffix)) {
                names.add(key.substring(0, key.length() - suffix.length()));
            }
        });
        for (String name : ordered(task, names)) {
            values.put(name, scores.get(name + suffix));
        }
        return values;
    }

    /** The requests of a stored record, contexts expanded. */
    public static List<ScoringArguments> arguments(JsonNode record) {
        JsonNode contexts = record.get("contexts");
        List<ScoringArguments> arguments = new ArrayList<>();
        for (JsonNode argument : record.get("arguments")) {
            arguments.add(new ScoringArguments(
                    contexts.get(argument.get(0).intValue()).stringValue(),
                    argument.get(1).stringValue()));
        }
        return arguments;
    }

    /** The names in the task's {@code metric_list} order, any others after them in the order given. */
    private static List<String> ordered(LmEvalTask task, Iterable<String> names) {
        List<String> given = new ArrayList<>();
        names.forEach(given::add);
        List<String> ordered = new ArrayList<>();
        for (MetricSpec metric : task.config().metrics()) {
            if (given.contains(metric.metric())) {
                ordered.add(metric.metric());
            }
        }
        for (String name : given) {
            if (!ordered.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }

    /** lm-eval's {@code hash_string}: the SHA-256 of the UTF-8 text, hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
