package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lm-eval's own generation task files (shared/fixtures/lm_eval/tasks, verbatim from commit 4e7e0d47f) read into
 * {@link TaskConfig}: {@code generation_kwargs} with {@code TaskConfig.__post_init__}'s defaults, {@code repeats},
 * {@code filter_list} as written, metric keyword arguments and {@code fewshot_config}. The expected values are read
 * off the YAML files by eye.
 */
@RequiresSharedFixtures
class GenerationTaskConfigTests {

    private static final TaskFileLoader.Loaded GSM8K = SharedFixtures.load("gsm8k");
    private static final TaskFileLoader.Loaded BBH = SharedFixtures.load("bbh/cot_fewshot", "bbh/cot_zeroshot");
    private static final TaskFileLoader.Loaded IFEVAL = SharedFixtures.load("ifeval");

    private static TaskConfig gsm8k(String task) {
        return GSM8K.tasks().get(task);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Nested
    class GenerationKwargs {

        @Test
        void gsm8kIsGreedyUntilQuestionWithTheDefaultTokenBudget() {
            TaskConfig config = gsm8k("gsm8k");

            assertThat(config.outputType()).isEqualTo("generate_until");
            assertThat(config.generative()).isTrue();
            TaskConfig.GenerationKwargs kwargs = config.generationKwargs();
            assertThat(kwargs.until()).containsExactly("Question:", "</s>", "<|im_end|>");
            assertThat(kwargs.doSample()).isFalse();
            assertThat(kwargs.temperature()).isEqualTo(0.0);
            assertThat(kwargs.maxGenToks()).isEqualTo(256);
            assertThat(kwargs.extra()).isEmpty();
            assertThat(kwargs.asConfigured()).containsOnlyKeys("until", "do_sample", "temperature");
            assertThat(config.repeats()).isEqualTo(1);
        }

        @Test
        void anUnsetTemperatureIsLeftOutOfTheRequestAndMeansZero() {
            TaskConfig.GenerationKwargs kwargs = gsm8k("gsm8k_cot").generationKwargs();

            assertThat(kwargs.asConfigured()).containsOnlyKeys("do_sample", "until");
            assertThat(kwargs.until()).containsExactly("Q:", "</s>", "<|im_end|>");
            assertThat(kwargs.temperature()).isEqualTo(0.0);
            assertThat(kwargs.doSample()).isFalse();
        }

        @Test
        void selfConsistencySamplesSixtyFourTimesAtTemperatureZeroPointTwo() {
            TaskConfig config = gsm8k("gsm8k_cot_self_consistency");

            assertThat(config.generationKwargs().until()).containsExactly("Q:", "\n\n");
            assertThat(config.generationKwargs().doSample()).isTrue();
            assertThat(config.generationKwargs().temperature()).isEqualTo(0.2);
            assertThat(config.repeats()).isEqualTo(64);
            // Everything else comes from the included gsm8k-cot.yaml.
            assertThat(config.fewshotConfig().samples()).hasSize(8);
            assertThat(config.numFewshot()).isEqualTo(8);
            assertThat(config.tags()).containsExactly("chain_of_thought", "self_consistency");
        }

        @Test
        void bbhGeneratesAThousandTwentyFourTokensUntilAnyCapitalQ() {
            TaskConfig config = BBH.tasks().get("bbh_cot_fewshot_boolean_expressions");

            assertThat(config.generationKwargs().until()).containsExactly("</s>", "Q", "\n\n");
            assertThat(config.generationKwargs().maxGenToks()).isEqualTo(1024);
            assertThat(config.generationKwargs().temperature()).isEqualTo(0.0);
            assertThat(config.targetDelimiter()).isEmpty();
            assertThat(config.numFewshot()).isEqualTo(3);
        }

        @Test
        void ifevalStopsOnlyAtEndOfTextAfterTwelveHundredEightyTokens() {
            TaskConfig config = IFEVAL.tasks().get("ifeval");

            assertThat(config.generationKwargs().until()).isEmpty();
            assertThat(config.generationKwargs().maxGenToks()).isEqualTo(1280);
            assertThat(config.fixedZeroShot()).isTrue();
            assertThat(config.testSplit()).isEqualTo("train");
            assertThat(config.docToTarget()).isEqualTo(0L);
        }
    }

    @Nested
    class Filters {

        @Test
        void gsm8kKeepsBothPipelinesAsWritten() {
            List<Map<String, Object>> filters = gsm8k("gsm8k").filterList();

            assertThat(filters).hasSize(2);
            assertThat(filters.get(0))
                    .isEqualTo(map(
                            "name",
                            "strict-match",
                            "filter",
                            List.of(
                                    map("function", "regex", "regex_pattern", "#### (\\-?[0-9\\.\\,]+)"),
                                    map("function", "take_first"))));
            assertThat(filters.get(1))
                    .isEqualTo(map(
                            "name",
                            "flexible-extract",
                            "filter",
                            List.of(
                                    map(
                                            "function",
                                            "regex",
                                            "group_select",
                                            -1,
                                            "regex_pattern",
                                            "(-?[$0-9.,]{2,})|(-?[0-9]+)"),
                                    map("function", "take_first"))));
        }

        @Test
        void selfConsistencyReplacesTheIncludedPipelines() {
            List<Map<String, Object>> filters =
                    gsm8k("gsm8k_cot_self_consistency").filterList();

            assertThat(filters).extracting(f -> f.get("name")).containsExactly("score-first", "maj@64", "maj@8");
            assertThat((List<?>) filters.get(2).get("filter"))
                    .first()
                    .isEqualTo(map("function", "take_first_k", "k", 8));
        }

        @Test
        void aFilterFunctionNamedByBangFunctionIsAFunctionRef() {
            List<Map<String, Object>> filters =
                    BBH.tasks().get("bbh_cot_zeroshot_date_understanding").filterList();

            Map<?, ?> first = (Map<?, ?>) ((List<?>) filters.get(0).get("filter")).get(0);
            assertThat(first.get("function")).isEqualTo(new FunctionRef("utils.MultiChoiceRegexFilter"));
            assertThat(first.get("regex_pattern")).isEqualTo("(\\([A-Z]\\))");
            assertThat(first.get("ignore_punctuation")).isEqualTo(true);
        }

        @Test
        void aTaskWithoutFilterListHasNone() {
            assertThat(IFEVAL.tasks().get("ifeval").filterList()).isNull();
        }
    }

    @Nested
    class Metrics {

        @Test
        void gsm8kExactMatchCarriesItsKeywordArguments() {
            MetricSpec metric = gsm8k("gsm8k").metrics().get(0);

            assertThat(metric.metric()).isEqualTo("exact_match");
            assertThat(metric.aggregation()).isEqualTo("mean");
            assertThat(metric.higherIsBetter()).isTrue();
            assertThat(metric.kwargs())
                    .isEqualTo(map(
                            "ignore_case",
                            true,
                            "ignore_punctuation",
                            false,
                            "regexes_to_ignore",
                            List.of(",", "\\$", "(?s).*#### ", "\\.$")));
        }

        @Test
        void bbhZeroShotIgnoresBackslashesNewlinesAndQuotes() {
            MetricSpec metric = BBH.tasks()
                    .get("bbh_cot_zeroshot_boolean_expressions")
                    .metrics()
                    .get(0);

            assertThat(metric.kwargs())
                    .isEqualTo(map("ignore_case", true, "regexes_to_ignore", List.of("\\.$", ",", "\\\\", "\n", "\"")));
        }

        @Test
        void bbhFewShotExactMatchHasNoArguments() {
            assertThat(BBH.tasks()
                            .get("bbh_cot_fewshot_snarks")
                            .metrics()
                            .get(0)
                            .kwargs())
                    .isEmpty();
        }

        @Test
        void ifevalAggregatesInstructionLevelAccuracyWithItsOwnFunction() {
            List<MetricSpec> metrics = IFEVAL.tasks().get("ifeval").metrics();

            assertThat(metrics)
                    .extracting(MetricSpec::metric)
                    .containsExactly(
                            "prompt_level_strict_acc",
                            "inst_level_strict_acc",
                            "prompt_level_loose_acc",
                            "inst_level_loose_acc");
            assertThat(metrics.get(0).aggregation()).isEqualTo("mean");
            assertThat(metrics.get(0).aggregationFunction()).isNull();
            assertThat(metrics.get(1).aggregationFunction()).isEqualTo(new FunctionRef("utils.agg_inst_level_acc"));
            assertThat(IFEVAL.tasks().get("ifeval").processResults())
                    .isEqualTo(new FunctionRef("utils.process_results"));
        }
    }

    @Nested
    class FewshotConfig {

        @Test
        void gsm8kCotTakesItsEightInlineSamplesFirstN() {
            TaskConfig config = gsm8k("gsm8k_cot");

            assertThat(config.sampler()).isEqualTo("first_n");
            assertThat(config.fewshotFromSamples()).isTrue();
            assertThat(config.fewshotConfig().samples()).hasSize(8);
            assertThat(config.fewshotConfig().samples().get(0)).containsOnlyKeys("question", "target");
            assertThat((String) config.fewshotConfig().samples().get(0).get("question"))
                    .startsWith("There are 15 trees");
            // What the examples are written with defaults to the task's own fields.
            assertThat(config.fewshotConfig().docToText()).isEqualTo("Q: {{question}}\nA:");
            assertThat(config.fewshotConfig().targetDelimiter()).isEqualTo(" ");
            assertThat(config.fewshotConfig().fewshotDelimiter()).isEqualTo("\n\n");
            assertThat(config.fewshotConfig().split()).isNull();
        }

        @Test
        void gsm8kSamplesItsShotsAtRandomFromTrain() {
            TaskConfig config = gsm8k("gsm8k");

            assertThat(config.sampler()).isEqualTo("default");
            assertThat(config.fewshotFromSamples()).isFalse();
            assertThat(config.fewshotSourceSplit()).isEqualTo("train");
            assertThat(config.fewshotConfig().split()).isEqualTo("train");
        }

        @Test
        void everyBbhSubtaskHasThreeSamples() {
            List<TaskConfig> subtasks = BBH.tasks().values().stream()
                    .filter(c -> c.task().startsWith("bbh_cot_fewshot_"))
                    .toList();

            assertThat(subtasks).hasSize(27);
            assertThat(subtasks).allSatisfy(c -> {
                assertThat(c.fewshotConfig().samples()).hasSize(3);
                assertThat(c.sampler()).isEqualTo("first_n");
                assertThat(c.description()).endsWith("\n\n");
            });
        }
    }

    @Nested
    class Defaults {

        @TempDir
        Path dir;

        private TaskConfig read(String yaml) throws IOException {
            Files.writeString(dir.resolve("task.yaml"), yaml);
            return TaskFileLoader.load(TaskFile.under(dir)).tasks().get("probe");
        }

        private static final String TASK = """
                task: probe
                dataset_path: some/data
                test_split: test
                doc_to_text: "{{q}}"
                doc_to_target: "{{a}}"
                metric_list:
                  - metric: exact_match
                """;

        @Test
        void aGenerativeTaskWithoutGenerationKwargsIsGreedyForTwoHundredFiftySixTokensUntilTheFewshotDelimiter()
                throws IOException {
            TaskConfig config = read(TASK + "output_type: generate_until\nfewshot_delimiter: \"\\n###\\n\"\n");

            assertThat(config.generationKwargs().asConfigured())
                    .isEqualTo(map(
                            "temperature", 0.0, "do_sample", false, "max_gen_toks", 256L, "until", List.of("\n###\n")));
        }

        @Test
        void anOutputTypeLeftOutMeansGenerateUntil() throws IOException {
            assertThat(read(TASK).outputType()).isEqualTo("generate_until");
        }

        @Test
        void generationKwargsWithoutUntilStopAtTheFewshotDelimiter() throws IOException {
            TaskConfig config = read(TASK + "generation_kwargs:\n  temperature: 1\n  top_p: 0.9\n");

            assertThat(config.generationKwargs().asConfigured())
                    .isEqualTo(map("temperature", 1.0, "top_p", 0.9, "until", List.of("\n\n")));
            assertThat(config.generationKwargs().doSample()).isTrue();
            assertThat(config.generationKwargs().extra()).isEqualTo(map("top_p", 0.9));
        }

        @Test
        void doSampleFalseForcesTemperatureZero() throws IOException {
            TaskConfig config = read(TASK + "generation_kwargs:\n  do_sample: false\n  temperature: 0.7\n");

            assertThat(config.generationKwargs().temperature()).isEqualTo(0.0);
        }

        @Test
        void maxNewTokensIsAnAliasOfMaxGenToks() throws IOException {
            TaskConfig config = read(TASK + "generation_kwargs:\n  until: \"END\"\n  max_new_tokens: 77\n");

            assertThat(config.generationKwargs().maxGenToks()).isEqualTo(77);
            assertThat(config.generationKwargs().until()).containsExactly("END");
        }

        @Test
        void aFewshotConfigOverridesOnlyWhatItSets() throws IOException {
            TaskConfig config = read(TASK
                    + "target_delimiter: \" => \"\nfewshot_config:\n  sampler: first_n\n  split: dev\n"
                    + "  doc_to_text: \"Example: {{q}}\"\n  fewshot_delimiter: \"\\n\"\n");

            TaskConfig.FewshotConfig fewshot = config.fewshotConfig();
            assertThat(fewshot.split()).isEqualTo("dev");
            assertThat(config.fewshotSourceSplit()).isEqualTo("dev");
            assertThat(fewshot.docToText()).isEqualTo("Example: {{q}}");
            assertThat(fewshot.docToTarget()).isEqualTo("{{a}}");
            assertThat(fewshot.fewshotDelimiter()).isEqualTo("\n");
            assertThat(fewshot.targetDelimiter()).isEqualTo(" => ");
        }

        @Test
        void anUnknownFewshotConfigKeyIsRefused() {
            assertThatThrownBy(() -> read(TASK + "fewshot_config:\n  shuffle: true\n"))
                    .hasMessageContaining("unsupported fewshot_config key 'shuffle'");
        }

        @Test
        void aNamedAggregationOtherThanMeanIsRefused() {
            assertThatThrownBy(() -> read(
                            TASK.replace("- metric: exact_match", "- metric: exact_match\n    aggregation: median")))
                    .hasMessageContaining("aggregation 'median' is not supported");
        }
    }
}
