package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.lmeval.filters.GenerateUntilScoring;
import ai.assay.reference.lmeval.ifeval.IfEvalScore;
import ai.assay.reference.lmeval.ifeval.IfEvalScoring;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.lmeval.testing.TestDatasets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generation documents' records exported as lines of lm-eval's {@code samples_<task>.jsonl}, byte for byte. The
 * records are what the worker stores for real fixture rows of gsm8k (0-shot, its two filters) and IFEval (its
 * {@code process_results} values); {@code /lmeval/expected/generation_records.jsonl} holds them and
 * {@code generation_samples.jsonl} the lines lm-eval's own {@code EvaluationTracker.save_results_samples} writes
 * for them at the pinned commit (see the README there). The records are read back as jsonb gives them, members
 * reordered, as the export reads them from the database.
 */
@RequiresSharedFixtures
class GenerationSamplesTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static LmEvalTask gsm8k;
    private static LmEvalTask ifeval;

    @BeforeAll
    static void tasks() {
        gsm8k = SharedFixtures.tree("gsm8k").task("gsm8k").orElseThrow();
        ifeval = SharedFixtures.tree("ifeval").task("ifeval").orElseThrow();
    }

    private static List<String> resource(String name) throws IOException {
        try (InputStream in = TestDatasets.class.getResourceAsStream("/lmeval/expected/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .toList();
        }
    }

    /** A stored document: its record and its scores, as the worker writes them. */
    private record Stored(ObjectNode record, ObjectNode scores) {}

    @SuppressWarnings("unchecked")
    private static Stored gsm8kDocument(int docId, String response) {
        DocRequests doc = SharedFixtures.requests(gsm8k, 0, docId + 1).get(docId);
        Object metricList = gsm8k.config().raw().get("metric_list");
        GenerateUntilScoring scoring =
                GenerateUntilScoring.fromYaml(gsm8k.config().filterList(), (List<? extends Map<String, ?>>) metricList);
        var score = scoring.score(doc.doc().values(), gsm8k.docToTarget(doc.doc()), List.of(response));
        Map<String, Object> filtered = new LinkedHashMap<>();
        score.filters().forEach(f -> filtered.put(f.filter(), f.filteredResponse()));
        ObjectNode record = SampleRecords.generationRecord(
                doc, List.of(response), filtered, new SampleRecords.GenerationTokens(64, false, List.of(20)));
        return new Stored(record, SampleRecords.scores(score.byResultKey()));
    }

    private static Stored ifevalDocument(int docId, String response) {
        DocRequests doc = SharedFixtures.requests(ifeval, 0, docId + 1).get(docId);
        IfEvalScore score = IfEvalScoring.standard().score(doc.doc(), response);
        ObjectNode record = SampleRecords.generationRecord(doc, List.of(response), Map.of("none", response), null);
        record.set("metrics", MAPPER.valueToTree(score.metrics()));
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("prompt_level_strict_acc,none", score.promptStrict() ? 1.0 : 0.0);
        scores.put("prompt_level_loose_acc,none", score.promptLoose() ? 1.0 : 0.0);
        return new Stored(record, SampleRecords.scores(scores));
    }

    private static List<Stored> documents() {
        String follows = "*Part one* then *part two* and *part three* " + "word ".repeat(300);
        return List.of(
                gsm8kDocument(0, " She sells 16 - 3 - 4 = 9 eggs, 9 * 2 = $18.\n#### 18"),
                gsm8kDocument(1, " It takes 2 + 1 = 3 bolts. The answer is $1,234."),
                ifevalDocument(0, follows),
                ifevalDocument(1, "Day one, Tokyo.\n\nDay two: «Kyōto»."));
    }

    /** What PostgreSQL's jsonb gives back: every object's members by key length, then by the keys' bytes. */
    private static JsonNode asJsonb(JsonNode node) {
        if (node.isArray()) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> array.add(asJsonb(element)));
            return array;
        }
        if (!node.isObject()) {
            return node;
        }
        List<String> keys = new ArrayList<>(node.propertyNames());
        keys.sort(Comparator.comparingInt((String k) -> k.getBytes(StandardCharsets.UTF_8).length)
                .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(
                        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8))));
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        keys.forEach(k -> object.set(k, asJsonb(node.get(k))));
        return object;
    }

    private static LmEvalTask taskOf(JsonNode record) {
        return record.get("task").stringValue().equals("gsm8k") ? gsm8k : ifeval;
    }

    @Test
    void theRecordsAreWhatTheExpectedLinesWereWrittenFrom() throws IOException {
        List<String> committed = resource("generation_records.jsonl");
        List<Stored> documents = documents();

        assertThat(committed).hasSameSizeAs(documents);
        for (int i = 0; i < documents.size(); i++) {
            JsonNode line = MAPPER.readTree(committed.get(i));
            assertThat(line.get("record")).isEqualTo(documents.get(i).record());
            assertThat(line.get("scores")).isEqualTo(documents.get(i).scores());
        }
    }

    @Test
    void aGenerationDocumentIsALinePerFilterAsLmEvalWritesIt() throws IOException {
        List<String> expected = resource("generation_samples.jsonl");
        List<String> lines = new ArrayList<>();
        // lm-eval's order: per task, every document under the first filter, then under the next.
        for (LmEvalTask task : List.of(gsm8k, ifeval)) {
            for (String filter : SampleRecords.filters(task)) {
                for (Stored stored : documents()) {
                    JsonNode record = asJsonb(stored.record());
                    if (taskOf(record) == task) {
                        lines.add(SampleRecords.samplesLine(task, record, asJsonb(stored.scores()), filter));
                    }
                }
            }
        }

        assertThat(lines).containsExactlyElementsOf(expected);
    }

    @Test
    void theFiltersAreTheFilterListsInOrderOrNone() {
        assertThat(SampleRecords.filters(gsm8k)).containsExactly("strict-match", "flexible-extract");
        assertThat(SampleRecords.filters(ifeval)).containsExactly("none");
    }

    @Test
    void aLineNamesItsFilterAndHoldsThatFiltersResultAndMetric() {
        Stored stored = documents().get(1);

        JsonNode strict =
                MAPPER.readTree(SampleRecords.samplesLine(gsm8k, stored.record(), stored.scores(), "strict-match"));
        JsonNode flexible =
                MAPPER.readTree(SampleRecords.samplesLine(gsm8k, stored.record(), stored.scores(), "flexible-extract"));

        assertThat(strict.get("filtered_resps").toString()).isEqualTo("[\"[invalid]\"]");
        assertThat(strict.get("exact_match").doubleValue()).isZero();
        assertThat(flexible.get("filtered_resps").toString()).isEqualTo("[\"$1,234.\"]");
        assertThat(flexible.get("metrics").toString()).isEqualTo("[\"exact_match\"]");
        assertThat(strict.get("prompt_hash").stringValue())
                .isEqualTo(SampleRecords.sha256(stored.record().get("context").stringValue()));
        assertThat(strict.get("arguments").get("gen_args_0").get("arg_1").toString())
                .isEqualTo(
                        "{\"until\":[\"Question:\",\"</s>\",\"<|im_end|>\"],\"do_sample\":false,\"temperature\":0.0}");
    }

    @Test
    void aTaskWithSeveralFiltersHasNoSingleLine() {
        Stored stored = documents().get(0);

        assertThatThrownBy(() -> SampleRecords.samplesLine(gsm8k, stored.record(), stored.scores()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[strict-match, flexible-extract]");
        assertThatThrownBy(() -> SampleRecords.samplesLine(gsm8k, stored.record(), stored.scores(), "get-answer"))
                .hasMessageContaining("no result for the filter get-answer");
    }

    @Test
    void ifevalsLineHoldsProcessResultsValuesWithItsInstructionLists() {
        Stored stored = documents().get(2);

        JsonNode line = MAPPER.readTree(SampleRecords.samplesLine(ifeval, asJsonb(stored.record()), stored.scores()));

        assertThat(line.get("metrics").toString())
                .isEqualTo("[\"prompt_level_strict_acc\",\"inst_level_strict_acc\",\"prompt_level_loose_acc\","
                        + "\"inst_level_loose_acc\"]");
        assertThat(line.get("inst_level_strict_acc").toString()).isEqualTo("[true,true,true]");
        assertThat(line.get("prompt_level_strict_acc").booleanValue()).isTrue();
        assertThat(line.get("target").stringValue()).isEqualTo("0");
        assertThat(line.get("resps").get(0)).hasSize(1);
    }
}
