package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.testing.LmEvalFixtures;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.engine.decoding.OnnxModelLoader;
import ai.assay.worker.engine.prompt.HfModelTextLoader;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.sandbox.BubblewrapProgramExecutor;
import ai.assay.worker.sandbox.SandboxProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generation tasks run end to end through the real engine: lm-eval's own task files and the fixture rows, the
 * runner, {@link RequestEncoder} with a byte-level BPE {@code tokenizer.json}, and the ONNX engine's continuous
 * batching on a random-weight decoder loaded from a model directory. Random weights write junk, so what is checked
 * is what holds whatever the model writes: every document stored once with its responses and token counts, the
 * prompt as the encoder cuts it to leave room for the generated tokens, no more generated tokens than the budget, no
 * stop string inside a stored response, every metric under each of the task's filters and in [0, 1], and greedy
 * decoding giving the same responses when the run is repeated.
 */
@RequiresSharedFixtures
class GenerationTasksOnTheEngineTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** The model's context: gsm8k_cot's 8-shot prompts are longer, so they are cut from the left. */
    private static final int MAX_POSITIONS = 256;
    /** Small, through the {@code generation} option, to keep the test fast. */
    private static final int MAX_NEW = 12;

    @TempDir
    Path temp;

    private LmEvalCatalog catalog;
    private DatasetResolver datasets;
    private LanguageModel model;

    @BeforeEach
    void setUp() {
        catalog = LmEvalFixtures.generationCatalog(temp.resolve("cache"));
        datasets = LmEvalFixtures.offlineDatasets(SharedFixtures.root(), temp.resolve("datasets-cache"));
        Path directory = temp.resolve("model");
        TestTokenizers.writeByteLevelModelFiles(directory);
        new TinyDecoder(
                        TinyDecoder.Layout.OPTIMUM,
                        TestTokenizers.DEFAULT_VOCAB_SIZE,
                        64,
                        2,
                        4,
                        2,
                        MAX_POSITIONS,
                        ElementType.FLOAT,
                        11)
                .writeTo(directory);
        EngineProperties engine =
                EngineProperties.defaults().withDevice("cpu").withThreads(1).withMaxBatchSize(8);
        model = new OnnxModelLoader(engine, new HfModelTextLoader()).load(directory, null);
    }

    @AfterEach
    void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void gsm8kCotGeneratesStoresAndScoresEveryDocumentOnTheEngine() {
        InMemoryTaskContext run = run("gsm8k_cot", 8, 4);

        assertEveryDocumentStoredOnceWithinItsBudgets(run, 4);
        assertThat(run.store.samples.values())
                .as("8-shot prompts are longer than the model's context")
                .allSatisfy(s -> assertThat(
                                s.record().get("tokens").get("truncated").booleanValue())
                        .isTrue());
        assertMetrics(run, "exact_match,strict-match", "exact_match,flexible-extract");
    }

    @Test
    void aBbhCotFewshotSubtaskGeneratesStoresAndScoresEveryDocumentOnTheEngine() {
        InMemoryTaskContext run = run("bbh_cot_fewshot_boolean_expressions", 3, 4);

        assertEveryDocumentStoredOnceWithinItsBudgets(run, 4);
        assertMetrics(run, "exact_match,get-answer");
    }

    @Test
    void ifevalGeneratesStoresAndScoresEveryDocumentOnTheEngine() {
        InMemoryTaskContext run = run("ifeval", 0, 4);

        assertEveryDocumentStoredOnceWithinItsBudgets(run, 4);
        assertMetrics(
                run,
                "prompt_level_strict_acc,none",
                "inst_level_strict_acc,none",
                "prompt_level_loose_acc,none",
                "inst_level_loose_acc,none");
    }

    /** Every generation task whose rows the fixtures hold, with its own shots and filters, on the engine. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "gsm8k",
                "gsm8k_cot_zeroshot",
                "bbh_cot_fewshot_date_understanding",
                "bbh_cot_zeroshot_boolean_expressions",
                "bbh_cot_zeroshot_date_understanding"
            })
    void everyGenerationTaskWithFixtureRowsRunsOnTheEngineUnderEachOfItsFilters(String task) {
        LmEvalTask definition = catalog.task(task).orElseThrow();
        Integer shots = definition.config().numFewshot();

        InMemoryTaskContext run = run(task, shots == null ? 0 : shots, 2);

        assertEveryDocumentStoredOnceWithinItsBudgets(run, 2);
        String[] keys = SampleRecords.filters(definition).stream()
                .flatMap(filter -> definition.config().metrics().stream().map(metric -> metric.metric() + "," + filter))
                .toArray(String[]::new);
        assertMetrics(run, keys);
    }

    @Test
    void selfConsistencySamplesEveryRepeatOnTheEngineAndVotes() {
        var context = new InMemoryTaskContext(
                "gsm8k_cot_self_consistency",
                "{\"numFewshot\": 8, \"limit\": 1, \"generation\": {\"maxNewTokens\": 4, \"seed\": 3}}",
                model,
                new InMemoryTaskContext.Store());

        new LmEvalTaskRunner("gsm8k_cot_self_consistency", catalog, datasets, null, MAPPER).run(context);

        JsonNode record = context.store.samples.get(0).record();
        assertThat(record.get("resps")).hasSize(64);
        assertThat(record.get("tokens").get("generated")).hasSize(64);
        assertMetrics(context, "exact_match,score-first", "exact_match,maj@64", "exact_match,maj@8");
    }

    @Test
    void humanEvalsCompletionsFromTheEngineRunInTheSandboxAndAreScored() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is not installed");
        var context = new InMemoryTaskContext(
                "humaneval",
                "{\"limit\": 2, \"generation\": {\"maxNewTokens\": %d}}".formatted(MAX_NEW),
                model,
                new InMemoryTaskContext.Store());
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        try (BubblewrapProgramExecutor sandbox = new BubblewrapProgramExecutor(
                new ai.assay.core.task.CodeExecutionProperties(true), SandboxProperties.defaults())) {
            beans.registerSingleton("sandbox", sandbox);
            new LmEvalTaskRunner(
                            "humaneval",
                            catalog,
                            datasets,
                            null,
                            MAPPER,
                            new ai.assay.core.task.CodeExecutionProperties(true),
                            beans.getBeanProvider(ProgramExecutor.class))
                    .run(context);
        }

        assertEveryDocumentStoredOnceWithinItsBudgets(context, 2);
        // random weights write junk: every program ran in the sandbox and failed
        assertThat(context.store.samples.values())
                .allSatisfy(sample ->
                        assertThat(sample.record().get("programs").toString()).contains("\"outcome\""));
        assertMetrics(context, "pass@1,create_test");
    }

    @Test
    void greedyDecodingGivesTheSameResponsesWhenTheRunIsRepeated() {
        Map<String, Integer> shots = Map.of("gsm8k_cot", 8, "bbh_cot_fewshot_date_understanding", 3, "ifeval", 0);
        shots.forEach((task, numFewshot) -> {
            Map<Integer, JsonNode> first = responses(run(task, numFewshot, 5));
            Map<Integer, JsonNode> second = responses(run(task, numFewshot, 5));

            assertThat(first).as(task).hasSize(5).isEqualTo(second);
        });
    }

    private InMemoryTaskContext run(String task, int numFewshot, int limit) {
        var context = new InMemoryTaskContext(
                task,
                "{\"numFewshot\": %d, \"limit\": %d, \"generation\": {\"maxNewTokens\": %d}}"
                        .formatted(numFewshot, limit, MAX_NEW),
                model,
                new InMemoryTaskContext.Store());
        new LmEvalTaskRunner(task, catalog, datasets, null, MAPPER).run(context);
        return context;
    }

    private void assertEveryDocumentStoredOnceWithinItsBudgets(InMemoryTaskContext run, int documents) {
        assertThat(run.store.samples.keySet())
                .containsExactlyElementsOf(IntStream.range(0, documents).boxed().toList());
        assertThat(run.progress.advanced).as("documents saved").isEqualTo(documents);
        long promptTokens = 0;
        for (StoredSampleScore sample : run.store.samples.values()) {
            JsonNode record = sample.record();
            String context = record.get("context").stringValue();
            JsonNode tokens = record.get("tokens");
            int whole = model.tokenizer().encode(context, true).length;
            int room = MAX_POSITIONS - MAX_NEW;
            assertThat(tokens.get("prompt").intValue()).isEqualTo(Math.min(whole, room));
            assertThat(tokens.get("truncated").booleanValue()).isEqualTo(whole > room);
            promptTokens += tokens.get("prompt").intValue();
            assertThat(record.get("resps")).hasSize(1);
            assertThat(tokens.get("generated")).hasSize(1);
            assertThat(tokens.get("generated").get(0).intValue()).isBetween(1, MAX_NEW);
            String response = record.get("resps").get(0).stringValue();
            for (JsonNode stop : record.get("gen_kwargs").get("until")) {
                assertThat(response).doesNotContain(stop.stringValue());
            }
            assertThat(record.get("filtered_resps").size()).isPositive();
        }
        assertThat(run.progress.promptTokens).isEqualTo(promptTokens);
    }

    private static void assertMetrics(InMemoryTaskContext run, String... keys) {
        Map<String, Double> metrics = new TreeMap<>();
        for (MetricValue m : run.store.metrics) {
            assertThat(metrics.put(m.metric() + "," + m.filter(), m.value())).isNull();
        }
        assertThat(metrics).containsOnlyKeys(keys);
        assertThat(metrics.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    }

    private static Map<Integer, JsonNode> responses(InMemoryTaskContext run) {
        Map<Integer, JsonNode> responses = new TreeMap<>();
        run.store.samples.forEach(
                (doc, sample) -> responses.put(doc, sample.record().get("resps")));
        return responses;
    }
}
