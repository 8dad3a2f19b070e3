package ai.assay.core.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.DocScoring;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.LogLikelihood;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.testing.TestDatasets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ExportFormatTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    static Path temp;

    static LmEvalFixtures fixtures;

    @BeforeAll
    static void load() {
        fixtures = new LmEvalFixtures(temp);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TestDatasets.class.getResourceAsStream("/lmeval/expected/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSamplesLineIsByteForByteLmEvals() throws IOException {
        DocRequests doc = fixtures.requests("arc_easy", 0).get(0);
        List<LogLikelihood> responses = List.of(
                new LogLikelihood(-30.25, false),
                new LogLikelihood(-29.0, false),
                new LogLikelihood(-31.125, false),
                new LogLikelihood(-26.000000000000004, true));
        LmEvalTask task = LmEvalFixtures.task("arc_easy");
        ObjectNode record = SampleRecords.record(doc, responses, null);
        ObjectNode scores = SampleRecords.scores(DocScoring.score(task, doc.doc(), responses));
        // What the database gives back: jsonb reorders members, which must not matter.
        JsonNode stored = MAPPER.readTree(MAPPER.writeValueAsString(record));

        assertThat(SampleRecords.samplesLine(task, stored, scores)).isEqualTo(resource("arc_easy_samples_line0.json"));
    }

    @Test
    void taskResultsHaveLmEvalsKeys() {
        List<Map<String, Double>> scores = List.of(
                Map.of("acc", 1.0, "acc_norm", 0.0),
                Map.of("acc", 0.0, "acc_norm", 0.0),
                Map.of("acc", 1.0, "acc_norm", 1.0));
        LmEvalResults results = new LmEvalResults(
                LmEvalFixtures.CATALOG,
                "arc_easy",
                LmEvalOptions.of(MAPPER.readTree("{\"numFewshot\": 25}")),
                Map.of("arc_easy", scores));

        ObjectNode json = results.toJson(Map.of("arc_easy", 2376));

        JsonNode arc = json.get("results").get("arc_easy");
        assertThat(arc.propertyNames())
                .containsExactly(
                        "name",
                        "alias",
                        "sample_len",
                        "acc,none",
                        "acc_stderr,none",
                        "acc_norm,none",
                        "acc_norm_stderr,none");
        assertThat(arc.get("name").stringValue()).isEqualTo("arc_easy");
        assertThat(arc.get("alias").stringValue()).isEqualTo("arc_easy");
        assertThat(arc.get("sample_len").intValue()).isEqualTo(3);
        assertThat(arc.get("acc,none").doubleValue()).isEqualTo(2.0 / 3);
        assertThat(arc.get("acc_stderr,none").doubleValue())
                .isEqualTo(Aggregation.mean("acc", new double[] {1, 0, 1}, NumberKind.PYTHON)
                        .stderr());
        assertThat(json.propertyNames())
                .containsExactly(
                        "results", "group_subtasks", "configs", "versions", "n-shot", "higher_is_better", "n-samples");
        assertThat(json.get("group_subtasks").isEmpty()).isTrue();
        assertThat(json.get("n-shot").get("arc_easy").intValue()).isEqualTo(25);
        assertThat(json.get("versions").get("arc_easy").isDouble()).isTrue();
        assertThat(json.get("versions").get("arc_easy").doubleValue()).isEqualTo(1.0);
        assertThat(json.get("n-samples").get("arc_easy").toString()).isEqualTo("{\"original\":2376,\"effective\":3}");
        assertThat(json.get("higher_is_better").get("arc_easy").toString())
                .isEqualTo("{\"acc\":true,\"acc_norm\":true}");
    }

    @Test
    void configsAreTheTaskConfigDataclassAsLmEvalDumpsIt() {
        LmEvalResults results = new LmEvalResults(
                LmEvalFixtures.CATALOG,
                "arc_easy",
                LmEvalOptions.of(MAPPER.readTree("{\"numFewshot\": 25}")),
                Map.of("arc_easy", List.of(Map.of("acc", 1.0, "acc_norm", 0.0))));
        Map<String, Object> modelArgs = new LinkedHashMap<>();
        modelArgs.put("pretrained", "file:///models/tiny");

        JsonNode config = results.toJson(Map.of(), modelArgs).get("configs").get("arc_easy");

        // TaskConfig's fields in declaration order, None ones left out (lm_eval/config/task.py to_dict).
        assertThat(config.propertyNames())
                .containsExactly(
                        "task",
                        "tag",
                        "dataset_path",
                        "dataset_name",
                        "training_split",
                        "validation_split",
                        "test_split",
                        "doc_to_text",
                        "doc_to_target",
                        "unsafe_code",
                        "doc_to_choice",
                        "description",
                        "target_delimiter",
                        "fewshot_delimiter",
                        "fewshot_config",
                        "num_fewshot",
                        "metric_list",
                        "output_type",
                        "repeats",
                        "should_decontaminate",
                        "doc_to_decontamination_query",
                        "metadata");
        assertThat(config.get("doc_to_text").stringValue()).isEqualTo("Question: {{question}}\nAnswer:");
        assertThat(config.get("num_fewshot").intValue()).isEqualTo(25);
        assertThat(config.get("tag").toString()).isEqualTo("[\"ai2_arc\"]");
        assertThat(config.get("description").stringValue()).isEmpty();
        assertThat(config.get("should_decontaminate").booleanValue()).isTrue();
        assertThat(config.get("metric_list").get(1).toString())
                .isEqualTo("{\"metric\":\"acc_norm\",\"aggregation\":\"mean\",\"higher_is_better\":true}");
        // The nested FewshotConfig keeps its None fields.
        assertThat(config.get("fewshot_config").toString())
                .isEqualTo("{\"sampler\":\"default\",\"split\":null,\"process_docs\":null,"
                        + "\"fewshot_indices\":null,\"samples\":null,"
                        + "\"doc_to_text\":\"Question: {{question}}\\nAnswer:\","
                        + "\"doc_to_choice\":\"{{choices.text}}\","
                        + "\"doc_to_target\":\"{{choices.label.index(answerKey)}}\",\"gen_prefix\":null,"
                        + "\"fewshot_delimiter\":\"\\n\\n\",\"target_delimiter\":\" \"}");
        assertThat(config.get("metadata").toString())
                .isEqualTo("{\"version\":1.0,\"pretrained\":\"file:///models/tiny\"}");
        assertThat(results.headline()).extracting(MetricResult::metric).containsExactly("acc", "acc_norm");
    }

    @Test
    void theMmluGroupReportsItsSubjectsAndCategoriesIndented() {
        Map<String, List<Map<String, Double>>> scores = new LinkedHashMap<>();
        List<Double> all = new ArrayList<>();
        int i = 0;
        for (LmEvalTask leaf : LmEvalFixtures.CATALOG.leaves("mmlu")) {
            List<Map<String, Double>> docs = new ArrayList<>();
            for (int d = 0; d < 2 + (i % 3); d++) {
                double acc = (i + d) % 2;
                docs.add(Map.of("acc", acc));
                all.add(acc);
            }
            scores.put(leaf.name(), docs);
            i++;
        }
        LmEvalResults results = new LmEvalResults(LmEvalFixtures.CATALOG, "mmlu", LmEvalOptions.of(null), scores);

        ObjectNode json = results.toJson(Map.of());

        JsonNode r = json.get("results");
        List<String> keys = new ArrayList<>();
        r.propertyNames().forEach(keys::add);
        List<String> leaves = LmEvalFixtures.CATALOG.leaves("mmlu").stream()
                .map(LmEvalTask::name)
                .toList();
        // Leaves in evaluation order, then the groups bottom-up.
        assertThat(keys.subList(0, 57)).containsExactlyElementsOf(leaves);
        assertThat(keys.subList(57, 62))
                .containsExactly("mmlu_stem", "mmlu_other", "mmlu_social_sciences", "mmlu_humanities", "mmlu");
        assertThat(r.get("mmlu").propertyNames())
                .containsExactly("alias", "name", "sample_len", "acc,none", "acc_stderr,none", "sample_count");
        assertThat(r.get("mmlu").get("alias").stringValue()).isEqualTo("mmlu");
        assertThat(r.get("mmlu_humanities").get("alias").stringValue()).isEqualTo("humanities");
        assertThat(r.get("mmlu_formal_logic").get("alias").stringValue()).isEqualTo("formal_logic");
        assertThat(r.get("mmlu_social_sciences").get("alias").stringValue()).isEqualTo("social sciences");
        assertThat(r.get("mmlu").get("sample_len").intValue()).isEqualTo(all.size());
        assertThat(r.get("mmlu").get("sample_count").toString()).isEqualTo("{\"acc,none\":" + all.size() + "}");
        double expected = all.stream().mapToDouble(Double::doubleValue).sum() / all.size();
        assertThat(r.get("mmlu").get("acc,none").doubleValue())
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(json.get("groups").propertyNames())
                .containsExactly("mmlu_stem", "mmlu_other", "mmlu_social_sciences", "mmlu_humanities", "mmlu");
        // A group's version is str(metadata.version); a leaf's is the YAML's value.
        assertThat(json.get("versions").get("mmlu").stringValue()).isEqualTo("2");
        assertThat(json.get("versions").get("mmlu_stem").stringValue()).isEqualTo("2");
        assertThat(json.get("versions").get("mmlu_formal_logic").doubleValue()).isEqualTo(1.0);
        // lm-eval fills a group's n-shot and higher_is_better from children already filled, parents first: the
        // four categories get them from their subjects, mmlu (whose children are groups) none.
        assertThat(json.get("n-shot").has("mmlu")).isFalse();
        assertThat(json.get("n-shot").get("mmlu_stem").intValue()).isZero();
        assertThat(json.get("higher_is_better").has("mmlu")).isFalse();
        assertThat(json.get("higher_is_better").get("mmlu_stem").toString()).isEqualTo("{\"acc\":true}");
        assertThat(json.get("group_subtasks").propertyNames())
                .containsExactly("mmlu", "mmlu_stem", "mmlu_other", "mmlu_social_sciences", "mmlu_humanities");
        assertThat(json.get("group_subtasks").get("mmlu").toString())
                .isEqualTo("[\"mmlu_stem\",\"mmlu_other\",\"mmlu_social_sciences\",\"mmlu_humanities\"]");
        assertThat(json.get("group_subtasks").get("mmlu_stem")).hasSize(19);
        assertThat(json.get("n-samples").propertyNames()).containsExactlyElementsOf(leaves);
        assertThat(results.headline().get(0).n()).isEqualTo(all.size());
    }
}
