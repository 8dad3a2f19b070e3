package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.worker.engine.GenerationRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generation tasks run through the runner as lm-eval runs them: the task files are lm-eval's own (the shared
 * fixtures, as a tasks-dir), the prompts go to the model with the task's stop strings and token budget, and each
 * response is filtered and scored under every filter of the task; responses made elsewhere are scored the same way
 * with no model. The "model" answers from a script keyed by the question, so the expected values follow from the
 * filters' definitions: gsm8k_cot's strict-match takes the number after "The answer is", flexible-extract the last
 * number in the response.
 */
@RequiresSharedFixtures
class GenerationTasksTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path temp;

    private LmEvalCatalog catalog;
    private DatasetResolver datasets;

    @BeforeEach
    void catalog() {
        catalog = LmEvalFixtures.generationCatalog(temp.resolve("cache"));
        datasets = LmEvalFixtures.offlineDatasets(SharedFixtures.root(), temp.resolve("datasets-cache"));
    }

    private LmEvalTaskRunner runner(String task) {
        return new LmEvalTaskRunner(task, catalog, datasets, null, MAPPER);
    }

    private static Map<String, Double> metrics(InMemoryTaskContext context) {
        return context.store.metrics.stream()
                .collect(Collectors.toMap(m -> m.metric() + "," + m.filter(), MetricValue::value));
    }

    private static JsonNode record(InMemoryTaskContext context, int doc) {
        StoredSampleScore stored = context.store.samples.get(doc);
        return stored.record();
    }

    @Test
    void gsm8kCotGeneratesEachPromptWithItsStopStringsAndScoresEveryFilter() {
        ScriptedModel model = new ScriptedModel(false, 4096);
        model.answers = prompt -> {
            if (prompt.endsWith("farmers' market?\nA:")) {
                return " She sells 9 eggs at $2 each. The answer is 18.\n\nQ: and the model runs on";
            }
            if (prompt.endsWith("does it take?\nA:")) {
                return " 2 + 1 = 3 bolts. The answer is 4."; // wrong: strict 0, flexible takes the last number, 4
            }
            return " I cannot tell.";
        };
        var context = new InMemoryTaskContext(
                "gsm8k_cot", "{\"numFewshot\": 8, \"limit\": 3}", model, new InMemoryTaskContext.Store());

        runner("gsm8k_cot").run(context);

        assertThat(model.generations).hasSize(3).allSatisfy(request -> {
            assertThat(request.sampling().stop()).containsExactly("Q:", "</s>", "<|im_end|>");
            assertThat(request.sampling().maxNewTokens()).isEqualTo(256);
            assertThat(request.sampling().temperature()).isZero();
        });
        JsonNode first = record(context, 0);
        assertThat(first.get("context").stringValue()).startsWith("Q: ").endsWith("farmers' market?\nA:");
        assertThat(first.get("context").stringValue().split("\nA:", -1)).hasSize(10); // 9 cues: 8 shots, the question
        assertThat(first.get("resps").get(0).stringValue()) // cut before "Q:", the blank line kept
                .isEqualTo(" She sells 9 eggs at $2 each. The answer is 18.\n\n");
        assertThat(first.get("filtered_resps").get("strict-match").stringValue())
                .isEqualTo("18");
        assertThat(first.get("filtered_resps").get("flexible-extract").stringValue())
                .isEqualTo("18."); // the last run of digits, dots and commas; exact_match drops the final dot
        assertThat(record(context, 2).get("filtered_resps").get("strict-match").stringValue())
                .isEqualTo("[invalid]");
        assertThat(metrics(context))
                .containsOnlyKeys("exact_match,strict-match", "exact_match,flexible-extract")
                .hasEntrySatisfying(
                        "exact_match,strict-match", v -> assertThat(v).isCloseTo(1 / 3.0, within(1e-12)))
                .hasEntrySatisfying(
                        "exact_match,flexible-extract", v -> assertThat(v).isCloseTo(1 / 3.0, within(1e-12)));
    }

    @Test
    void aResumedRunGeneratesOnlyTheDocumentsNotYetStored() {
        ScriptedModel model = new ScriptedModel(false, 4096);
        model.answers = prompt -> " The answer is 3.";
        var store = new InMemoryTaskContext.Store();
        runner("gsm8k").run(new InMemoryTaskContext("gsm8k", "{\"numFewshot\": 0, \"limit\": 2}", model, store));
        model.generations.clear();

        runner("gsm8k").run(new InMemoryTaskContext("gsm8k", "{\"numFewshot\": 0, \"limit\": 4}", model, store));

        assertThat(model.generations).extracting(GenerationRequest::id).containsExactlyInAnyOrder("2:0", "3:0");
        assertThat(store.samples).hasSize(4);
    }

    @Test
    void theGenerationOptionOverridesTheTasksKwargs() {
        ScriptedModel model = new ScriptedModel(false, 4096);
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 0, \"limit\": 1, \"generation\": {\"maxNewTokens\": 32, \"temperature\": 0.7,"
                        + " \"topP\": 0.9, \"stop\": [\"###\"], \"seed\": 5}}",
                model,
                new InMemoryTaskContext.Store());

        runner("gsm8k").run(context);

        assertThat(model.generations).singleElement().satisfies(request -> {
            assertThat(request.sampling().maxNewTokens()).isEqualTo(32);
            assertThat(request.sampling().temperature()).isEqualTo(0.7);
            assertThat(request.sampling().topP()).isEqualTo(0.9);
            assertThat(request.sampling().stop()).containsExactly("###");
            assertThat(request.sampling().seed()).isEqualTo(5);
        });
        // recorded as lm-eval records a run with --gen_kwargs: the task's kwargs with the changed ones put over them
        JsonNode kwargs = record(context, 0).get("gen_kwargs");
        assertThat(kwargs.get("until").toString()).isEqualTo("[\"###\"]");
        assertThat(kwargs.get("max_gen_toks").intValue()).isEqualTo(32);
        assertThat(kwargs.get("temperature").doubleValue()).isEqualTo(0.7);
        assertThat(kwargs.get("do_sample").booleanValue()).isTrue();
        assertThat(kwargs.get("top_p").doubleValue()).isEqualTo(0.9);
        assertThat(kwargs.get("seed").intValue()).isEqualTo(5);
    }

    @Test
    void responsesMadeElsewhereAreScoredWithoutAModelInEitherRecordShape() {
        String outputs = "[{\"doc_id\": 0, \"response\": \"She makes 9 * 2 = $18.\\n#### 18\"},"
                + " {\"doc_id\": 1, \"resps\": [[\"It takes 3 bolts.\\n#### 3\"]], \"filter\": \"strict-match\"},"
                + " {\"doc_id\": 1, \"resps\": [[\"It takes 3 bolts.\\n#### 3\"]], \"filter\": \"flexible-extract\"}]";
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 5, \"limit\": 2, \"outputs\": " + outputs + "}",
                null,
                new InMemoryTaskContext.Store());
        LmEvalTaskRunner runner = runner("gsm8k");

        assertThat(runner.needsModel(context.options())).isFalse();
        runner.run(context);

        assertThat(metrics(context))
                .containsEntry("exact_match,strict-match", 1.0)
                .containsEntry("exact_match,flexible-extract", 1.0);
        assertThat(record(context, 1).has("tokens")).isFalse();
    }

    @Test
    void responsesForDocumentsTheTaskDoesNotHaveAreRefusedBeforeAnythingIsStored() {
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 0, \"outputs\": [{\"doc_id\": 0, \"response\": \"3\"},"
                        + " {\"doc_id\": 4000, \"response\": \"3\"}]}",
                null,
                new InMemoryTaskContext.Store());

        assertThatThrownBy(() -> runner("gsm8k").run(context))
                .hasMessageContaining("documents [4000] of gsm8k, which has 40 (0 to 39)");
        assertThat(context.store.samples).isEmpty();
    }

    @Test
    void aDocumentWithoutAResponseFailsTheTaskNamingIt() {
        var context = new InMemoryTaskContext(
                "gsm8k",
                "{\"numFewshot\": 0, \"limit\": 2, \"outputs\": [{\"doc_id\": 0, \"response\": \"3\"}]}",
                null,
                new InMemoryTaskContext.Store());

        assertThatThrownBy(() -> runner("gsm8k").run(context))
                .hasMessageContaining("the responses have none for document 1 of gsm8k");
    }

    @Test
    void bbhAnswersInParenthesesAreExtractedAndScored() {
        String outputs = "[{\"doc_id\": 0, \"response\": \"Tomorrow is 12/25/1937. So the answer is (B).\"},"
                + " {\"doc_id\": 1, \"response\": \"A month ago was 12/02/1986. So the answer is (B).\"}]";
        var context = new InMemoryTaskContext(
                "bbh_cot_fewshot_date_understanding",
                "{\"numFewshot\": 3, \"limit\": 2, \"outputs\": " + outputs + "}",
                null,
                new InMemoryTaskContext.Store());

        runner("bbh_cot_fewshot_date_understanding").run(context);

        assertThat(record(context, 0).get("filtered_resps").get("get-answer").stringValue())
                .isEqualTo("(B)");
        assertThat(metrics(context)).containsExactlyEntriesOf(Map.of("exact_match,get-answer", 0.5));
        assertThat(record(context, 0).get("context").stringValue())
                .endsWith("Q: Today is Christmas Eve of 1937. What is the date tomorrow in MM/DD/YYYY?\nOptions:\n"
                        + "(A) 12/11/1937\n(B) 12/25/1937\n(C) 01/04/1938\n(D) 12/04/1937\n(E) 12/25/2006\n"
                        + "(F) 07/25/1937\nA: Let's think step by step.\n");
    }

    @Test
    void ifevalIsScoredByItsInstructionsWithInstructionLevelAccuracyPooledOverDocuments() {
        // doc 0 asks for no commas, 3 highlighted sections and 300+ words (3 instructions), doc 1 for no commas
        String follows = "*Part one* then *part two* and *part three* " + "word ".repeat(300);
        String outputs = "[{\"doc_id\": 0, \"response\": \"" + follows + "\"},"
                + " {\"doc_id\": 1, \"response\": \"Day one, Tokyo.\"}]";
        var context = new InMemoryTaskContext(
                "ifeval", "{\"limit\": 2, \"outputs\": " + outputs + "}", null, new InMemoryTaskContext.Store());

        runner("ifeval").run(context);

        assertThat(metrics(context))
                .containsEntry("prompt_level_strict_acc,none", 0.5)
                .containsEntry("inst_level_strict_acc,none", 0.75)
                .containsEntry("prompt_level_loose_acc,none", 0.5)
                .containsEntry("inst_level_loose_acc,none", 0.75);
        assertThat(context.store.metrics)
                .filteredOn(m -> m.metric().startsWith("inst_level"))
                .allSatisfy(m -> assertThat(m.stderr()).isNull());
        assertThat(record(context, 0)
                        .get("metrics")
                        .get("inst_level_strict_acc")
                        .toString())
                .isEqualTo("[true,true,true]");
    }

    /**
     * The fixtures hold no rows of these subtasks, so the rows are made up here, in the dataset's columns, and the
     * scripted model answers each by its list or question.
     */
    @Test
    void theZeroshotSubtasksWithWordNumberAndYesNoFiltersRunAndScoreEndToEnd() throws Exception {
        Path rows = temp.resolve("made-up-rows/SaylorTwift/bbh");
        writeRows(
                rows.resolve("word_sorting"),
                Map.of(
                        "Sort the following words alphabetically: List: pear apple fig", "apple fig pear",
                        "Sort the following words alphabetically: List: kiwi date", "date kiwi"));
        writeRows(
                rows.resolve("object_counting"),
                Map.of(
                        "I have a pen and two cups. How many objects do I have?", "3",
                        "I have a lamp. How many objects do I have?", "1"));
        writeRows(
                rows.resolve("sports_understanding"),
                Map.of(
                        "Is the following sentence plausible? \"A player scored a goal.\"", "yes",
                        "Is the following sentence plausible? \"A player scored a home run in a net.\"", "no"));
        DatasetResolver madeUp =
                LmEvalFixtures.offlineDatasets(temp.resolve("made-up-rows"), temp.resolve("made-up-cache"));
        ScriptedModel model = new ScriptedModel(false, 4096);
        model.answers = prompt -> {
            if (prompt.contains("pear apple fig")) {
                return " Alphabetically: apple, then fig, then pear. So the answer is apple fig pear.";
            }
            if (prompt.contains("kiwi date")) {
                return " kiwi comes after date: kiwi date"; // flexible-extract orders by last occurrence
            }
            if (prompt.contains("a pen and two cups")) {
                return " A pen is one and the cups are two, so three objects.";
            }
            if (prompt.contains("a lamp")) {
                return " So the answer is 1.";
            }
            if (prompt.contains("a goal")) {
                return " Scoring a goal is plausible.";
            }
            return " So the answer is no, this is not plausible."; // the last finding decides
        };
        Map<String, Map<String, Double>> expected = Map.of(
                "bbh_cot_zeroshot_word_sorting",
                Map.of("exact_match,flexible-extract", 0.5, "exact_match,strict-match", 0.5),
                "bbh_cot_zeroshot_object_counting",
                Map.of("exact_match,flexible-extract", 1.0, "exact_match,strict-match", 0.5),
                "bbh_cot_zeroshot_sports_understanding",
                Map.of("exact_match,flexible-extract", 1.0, "exact_match,strict-match", 0.0));

        expected.forEach((task, metrics) -> {
            var context = new InMemoryTaskContext(task, "{\"limit\": 2}", model, new InMemoryTaskContext.Store());
            new LmEvalTaskRunner(task, catalog, madeUp, null, MAPPER).run(context);

            assertThat(metrics(context)).as(task).containsExactlyInAnyOrderEntriesOf(metrics);
        });
    }

    private static void writeRows(Path config, Map<String, String> inputToTarget) throws java.io.IOException {
        java.nio.file.Files.createDirectories(config);
        StringBuilder lines = new StringBuilder();
        new java.util.TreeMap<>(inputToTarget)
                .forEach((input, target) -> lines.append(
                                MAPPER.writeValueAsString(Map.of("input", input, "target", target)))
                        .append('\n'));
        java.nio.file.Files.writeString(config.resolve("test.jsonl"), lines);
    }

    @Test
    void theCatalogOffersTheGenerationTasksWithTheirKwargsAsDefaults() {
        var gsm8k = catalog.definitions().stream()
                .filter(d -> d.name().equals("gsm8k_cot"))
                .findFirst()
                .orElseThrow();

        assertThat(MAPPER.valueToTree(gsm8k.options()).toString())
                .contains("\"name\":\"generation\"")
                .contains("\"maxNewTokens\":256")
                .contains("\"stop\":[\"Q:\",\"</s>\",\"<|im_end|>\"]")
                .contains("\"type\":\"generation-responses\"");
        assertThat(catalog.contains("bbh_cot_fewshot")).isTrue();
        assertThat(catalog.leaves("bbh_cot_fewshot")).hasSize(27);
        assertThat(catalog.contains("ifeval")).isTrue();
        // the zero-shot subtasks with each of utils.py's filter functions, and so their group
        assertThat(catalog.contains("bbh_cot_zeroshot")).isTrue();
        assertThat(catalog.leaves("bbh_cot_zeroshot")).hasSize(27);
        assertThat(catalog.contains("bbh_cot_zeroshot_word_sorting")).isTrue();
        assertThat(catalog.contains("bbh_cot_zeroshot_object_counting")).isTrue();
        assertThat(catalog.contains("bbh_cot_zeroshot_web_of_lies")).isTrue();
    }
}
