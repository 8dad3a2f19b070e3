package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyFloats;
import ai.assay.reference.python.PyJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * values. Responses are Python's {@code str()} of the float and bool.
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

    /** One line of lm-eval's samples file (without the newline). */
    public static String samplesLine(LmEvalTask task, JsonNode record, JsonNode scores) {
        JsonNode doc = MAPPER.readTree(record.get("doc").stringValue());
        String target = record.get("target").stringValue();
        ObjectNode line = F.objectNode();
        line.put("doc_id", record.get("doc_id").intValue());
        line.set("doc", doc);
        line.put("target", target);
        ObjectNode arguments = line.putObject("arguments");
        int i = 0;
        for (ScoringArguments argument : arguments(record)) {
            arguments
                    .putObject("gen_args_" + i++)
                    .put("arg_0", argument.context())
                    .put("arg_1", argument.continuation());
        }
        ArrayNode resps = line.putArray("resps");
        ArrayNode filtered = line.putArray("filtered_resps");
        for (JsonNode response : record.get("resps")) {
            String ll = PyFloats.repr(response.get(0).doubleValue());
            String greedy = response.get(1).booleanValue() ? "True" : "False";
            resps.addArray().addArray().add(ll).add(greedy);
            filtered.addArray().add(ll).add(greedy);
        }
        line.put("filter", "none");
        ArrayNode metricNames = line.putArray("metrics");
        List<String> names = metricNames(task, scores);
        names.forEach(metricNames::add);
        line.put("doc_hash", sha256(PyJson.dumps(doc, 2)));
        List<ScoringArguments> requests = arguments(record);
        line.put("prompt_hash", sha256(requests.isEmpty() ? "" : requests.get(0).context()));
        line.put("target_hash", sha256(target));
        for (String name : names) {
            line.set(name, scores.get(name));
        }
        return PyJson.dumps(line);
    }

    /** The requests of a stored record, contexts expanded. */
    public static List<ScoringArguments> arguments(JsonNode record) {
        JsonNode contexts = record.get("contexts");
        List<ScoringArguments> arguments = new java.util.ArrayList<>();
        for (JsonNode argument : record.get("arguments")) {
            arguments.add(new ScoringArguments(
                    contexts.get(argument.get(0).intValue()).stringValue(),
                    argument.get(1).stringValue()));
        }
        return arguments;
    }

    /** The metric names in the task's {@code metric_list} order. */
    private static List<String> metricNames(LmEvalTask task, JsonNode scores) {
        List<String> ordered = new java.util.ArrayList<>();
        for (MetricSpec metric : task.config().metrics()) {
            if (scores.has(metric.metric())) {
                ordered.add(metric.metric());
            }
        }
        scores.propertyNames().forEach(name -> {
            if (!ordered.contains(name)) {
                ordered.add(name);
            }
        });
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
