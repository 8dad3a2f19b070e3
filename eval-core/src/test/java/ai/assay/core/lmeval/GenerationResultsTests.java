package ai.assay.core.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.python.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * results.json of generation tasks, computed from the per-document scores the worker stores, in lm-eval
 * v0.4.12's structure: each filter's metric and stderr under {@code "<metric>,<filter>"}, filters in
 * {@code filter_list} order; IFEval's instruction-level accuracy without a stderr ({@code "N/A"}, as upstream
 * gives every {@code !function} aggregation); the bbh group weighting its subtasks by size; the task's configuration
 * as {@code TaskConfig.to_dict()} writes it.
 */
@RequiresSharedFixtures
class GenerationResultsTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private LmEvalCatalog catalog;

    @BeforeEach
    void catalog() {
        catalog = new LmEvalCatalog(
                new LmEvalTaskFiles(LmEvalTaskFilesProperties.of(SharedFixtures.tasks(), true), temp.resolve("cache")));
    }

    private static Map<String, Double> gsm8kDocument(double strict, double flexible) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("exact_match,strict-match", strict);
        scores.put("exact_match,flexible-extract", flexible);
        return scores;
    }

    private ObjectNode results(String task, String options, Map<String, List<Map<String, Double>>> scores) {
        return new LmEvalResults(catalog, task, LmEvalOptions.of(MAPPER.readTree(options)), scores).toJson(Map.of());
    }

    @Test
    void eachFilterIsReportedUnderItsNameInFilterListOrder() {
        ObjectNode json = results(
                "gsm8k",
                "{\"numFewshot\": 5}",
                Map.of(
                        "gsm8k",
                        List.of(gsm8kDocument(1, 1), gsm8kDocument(0, 1), gsm8kDocument(1, 0), gsm8kDocument(0, 0))));

        JsonNode gsm8k = json.get("results").get("gsm8k");
        assertThat(gsm8k.propertyNames())
                .containsExactly(
                        "name",
                        "alias",
                        "sample_len",
                        "exact_match,strict-match",
                        "exact_match_stderr,strict-match",
                        "exact_match,flexible-extract",
                        "exact_match_stderr,flexible-extract");
        assertThat(gsm8k.get("sample_len").intValue()).isEqualTo(4);
        assertThat(gsm8k.get("exact_match,strict-match").doubleValue()).isEqualTo(0.5);
        // sample stddev / sqrt(n): sqrt((4 * 0.25) / 3) / 2
        assertThat(gsm8k.get("exact_match_stderr,strict-match").doubleValue())
                .isCloseTo(Math.sqrt(1.0 / 3) / 2, within(1e-15));
        assertThat(gsm8k.get("exact_match,flexible-extract").doubleValue()).isEqualTo(0.5);
        assertThat(json.get("n-shot").get("gsm8k").intValue()).isEqualTo(5);
        assertThat(json.get("versions").get("gsm8k").doubleValue()).isEqualTo(3.0);
        assertThat(json.get("higher_is_better").get("gsm8k").toString()).isEqualTo("{\"exact_match\":true}");
        assertThat(json.get("n-samples").get("gsm8k").toString()).isEqualTo("{\"original\":4,\"effective\":4}");
    }

    @Test
    void aSingleDocumentHasNoStderr() {
        JsonNode gsm8k = results("gsm8k", "{}", Map.of("gsm8k", List.of(gsm8kDocument(1, 0))))
                .get("results")
                .get("gsm8k");

        assertThat(gsm8k.get("exact_match_stderr,strict-match").stringValue()).isEqualTo("N/A");
        assertThat(gsm8k.get("exact_match_stderr,flexible-extract").stringValue())
                .isEqualTo("N/A");
    }

    /**
     * The expected text is what CPython prints for {@code json.dumps(TaskConfig(**gsm8k_yaml,
     * num_fewshot=5).to_dict())} with lm-eval's {@code lm_eval/config/task.py} at the pinned commit.
     */
    @Test
    void aGenerationTasksConfigIsTaskConfigToDict() {
        JsonNode config = results("gsm8k", "{\"numFewshot\": 5}", Map.of("gsm8k", List.of(gsm8kDocument(1, 1))))
                .get("configs")
                .get("gsm8k");

        assertThat(PyJson.dumps(config))
                .isEqualTo(
                        "{\"task\": \"gsm8k\", \"tag\": [\"math_word_problems\"], \"dataset_path\": \"openai/gsm8k\","
                                + " \"dataset_name\": \"main\", \"training_split\": \"train\", \"test_split\": \"test\","
                                + " \"fewshot_split\": \"train\", \"doc_to_text\": \"Question: {{question}}\\nAnswer:\","
                                + " \"doc_to_target\": \"{{answer}}\", \"unsafe_code\": false, \"description\": \"\","
                                + " \"target_delimiter\": \" \", \"fewshot_delimiter\": \"\\n\\n\", \"fewshot_config\":"
                                + " {\"sampler\": \"default\", \"split\": \"train\", \"process_docs\": null,"
                                + " \"fewshot_indices\": null, \"samples\": null, \"doc_to_text\":"
                                + " \"Question: {{question}}\\nAnswer:\", \"doc_to_choice\": null, \"doc_to_target\":"
                                + " \"{{answer}}\", \"gen_prefix\": null, \"fewshot_delimiter\": \"\\n\\n\","
                                + " \"target_delimiter\": \" \"}, \"num_fewshot\": 5, \"metric_list\": [{\"metric\":"
                                + " \"exact_match\", \"aggregation\": \"mean\", \"higher_is_better\": true, \"ignore_case\":"
                                + " true, \"ignore_punctuation\": false, \"regexes_to_ignore\": [\",\", \"\\\\$\","
                                + " \"(?s).*#### \", \"\\\\.$\"]}], \"output_type\": \"generate_until\","
                                + " \"generation_kwargs\": {\"until\": [\"Question:\", \"</s>\", \"<|im_end|>\"],"
                                + " \"do_sample\": false, \"temperature\": 0.0}, \"repeats\": 1, \"filter_list\":"
                                + " [{\"name\": \"strict-match\", \"filter\": [{\"function\": \"regex\", \"regex_pattern\":"
                                + " \"#### (\\\\-?[0-9\\\\.\\\\,]+)\"}, {\"function\": \"take_first\"}]}, {\"name\":"
                                + " \"flexible-extract\", \"filter\": [{\"function\": \"regex\", \"group_select\": -1,"
                                + " \"regex_pattern\": \"(-?[$0-9.,]{2,})|(-?[0-9]+)\"}, {\"function\": \"take_first\"}]}],"
                                + " \"should_decontaminate\": false, \"metadata\": {\"version\": 3.0}}");
    }

    @Test
    void ifevalsInstructionLevelAccuracyIsPooledAndHasNoStderr() {
        List<Map<String, Double>> docs = new ArrayList<>();
        // doc 0 follows 3 of 3 instructions strictly, doc 1 none of 1 (loosely: 1 of 1)
        docs.add(ifevalDocument(1, 3, 3, 1, 3, 3));
        docs.add(ifevalDocument(0, 0, 1, 1, 1, 1));

        ObjectNode json = results("ifeval", "{}", Map.of("ifeval", docs));

        JsonNode ifeval = json.get("results").get("ifeval");
        assertThat(ifeval.propertyNames())
                .containsExactly(
                        "name",
                        "alias",
                        "sample_len",
                        "prompt_level_strict_acc,none",
                        "prompt_level_strict_acc_stderr,none",
                        "inst_level_strict_acc,none",
                        "inst_level_strict_acc_stderr,none",
                        "prompt_level_loose_acc,none",
                        "prompt_level_loose_acc_stderr,none",
                        "inst_level_loose_acc,none",
                        "inst_level_loose_acc_stderr,none");
        assertThat(ifeval.get("prompt_level_strict_acc,none").doubleValue()).isEqualTo(0.5);
        assertThat(ifeval.get("prompt_level_strict_acc_stderr,none").doubleValue())
                .isEqualTo(0.5);
        assertThat(ifeval.get("inst_level_strict_acc,none").doubleValue()).isEqualTo(0.75);
        assertThat(ifeval.get("inst_level_strict_acc_stderr,none").stringValue())
                .isEqualTo("N/A");
        assertThat(ifeval.get("prompt_level_loose_acc,none").doubleValue()).isEqualTo(1.0);
        assertThat(ifeval.get("prompt_level_loose_acc_stderr,none").doubleValue())
                .isZero();
        assertThat(ifeval.get("inst_level_loose_acc,none").doubleValue()).isEqualTo(1.0);
        assertThat(json.get("n-shot").get("ifeval").intValue()).isZero();
        assertThat(json.get("versions").get("ifeval").doubleValue()).isEqualTo(4.0);
        assertThat(json.get("higher_is_better").get("ifeval").toString())
                .isEqualTo("{\"prompt_level_strict_acc\":true,\"inst_level_strict_acc\":true,"
                        + "\"prompt_level_loose_acc\":true,\"inst_level_loose_acc\":true}");
        JsonNode config = json.get("configs").get("ifeval");
        assertThat(config.get("generation_kwargs").toString())
                .isEqualTo("{\"until\":[],\"do_sample\":false,\"temperature\":0.0,\"max_gen_toks\":1280}");
        assertThat(config.get("doc_to_target").intValue()).isZero();
        assertThat(config.get("num_fewshot").intValue()).isZero();
        assertThat(config.has("filter_list")).isFalse();
    }

    private static Map<String, Double> ifevalDocument(
            double promptStrict,
            double strictFollowed,
            double strictCount,
            double promptLoose,
            double looseFollowed,
            double looseCount) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("prompt_level_strict_acc,none", promptStrict);
        scores.put("inst_level_strict_acc,none:followed", strictFollowed);
        scores.put("inst_level_strict_acc,none:count", strictCount);
        scores.put("prompt_level_loose_acc,none", promptLoose);
        scores.put("inst_level_loose_acc,none:followed", looseFollowed);
        scores.put("inst_level_loose_acc,none:count", looseCount);
        return scores;
    }

    @Test
    void theBbhGroupWeighsItsSubtasksBySizeAndTakesTheirShots() {
        Map<String, List<Map<String, Double>>> scores = new LinkedHashMap<>();
        int right = 0;
        int all = 0;
        int i = 0;
        for (LmEvalTask leaf : catalog.leaves("bbh_cot_fewshot")) {
            List<Map<String, Double>> docs = new ArrayList<>();
            for (int d = 0; d < 1 + (i % 3); d++) {
                double value = (i + d) % 2;
                docs.add(Map.of("exact_match,get-answer", value));
                right += (int) value;
                all++;
            }
            scores.put(leaf.name(), docs);
            i++;
        }

        ObjectNode json = results("bbh_cot_fewshot", "{\"numFewshot\": 3}", scores);

        JsonNode group = json.get("results").get("bbh_cot_fewshot");
        assertThat(group.propertyNames())
                .containsExactly(
                        "alias",
                        "name",
                        "sample_len",
                        "exact_match,get-answer",
                        "exact_match_stderr,get-answer",
                        "sample_count");
        assertThat(group.get("exact_match,get-answer").doubleValue()).isCloseTo((double) right / all, within(1e-15));
        assertThat(group.get("sample_len").intValue()).isEqualTo(all);
        assertThat(group.get("sample_count").toString()).isEqualTo("{\"exact_match,get-answer\":" + all + "}");
        assertThat(json.get("groups").propertyNames()).containsExactly("bbh_cot_fewshot");
        assertThat(json.get("group_subtasks").get("bbh_cot_fewshot")).hasSize(27);
        assertThat(json.get("versions").get("bbh_cot_fewshot").stringValue()).isEqualTo("3.0");
        assertThat(json.get("versions")
                        .get("bbh_cot_fewshot_date_understanding")
                        .doubleValue())
                .isEqualTo(4.0);
        assertThat(json.get("n-shot").get("bbh_cot_fewshot").intValue()).isEqualTo(3);
        assertThat(json.get("n-shot").get("bbh_cot_fewshot_date_understanding").intValue())
                .isEqualTo(3);
        assertThat(json.get("higher_is_better").get("bbh_cot_fewshot").toString())
                .isEqualTo("{\"exact_match\":true}");
        JsonNode leaf = json.get("results").get("bbh_cot_fewshot_date_understanding");
        assertThat(leaf.get("alias").stringValue()).isEqualTo("bbh_cot_fewshot_date_understanding");
        assertThat(json.get("configs")
                        .get("bbh_cot_fewshot_date_understanding")
                        .get("generation_kwargs")
                        .toString())
                .isEqualTo("{\"max_gen_toks\":1024,\"until\":[\"</s>\",\"Q\",\"\\n\\n\"],\"do_sample\":false,"
                        + "\"temperature\":0.0}");
    }
}
