package ai.assay.worker.lmeval;

import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.LmEvalTaskFilesProperties;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.engine.decoding.OnnxModelLoader;
import ai.assay.worker.engine.prompt.HfModelTextLoader;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generation throughput through the path a job takes: {@link LmEvalTaskRunner} renders gsm8k_cot's 8-shot prompts
 * from lm-eval's own task files (the shared fixtures), {@link RequestEncoder} tokenizes them with a byte-level BPE
 * {@code tokenizer.json} and cuts them from the left to leave room for {@code max_gen_toks}, and the ONNX engine
 * generates greedily with the task's stop strings on a random-weight decoder loaded from a model directory. It
 * compares the engine's continuous batching (its default batch limits) with one request at a time (max batch size
 * 1), alternating the two, and reports how full the batch stayed: the rows of the engine's decoding steps over
 * their number ({@link RunKind#DECODE_STEP}). Not a test: it asserts nothing and writes
 * docs/benchmarks/generation-tasks.md. Run with {@code ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=GenerationTasksBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@RequiresSharedFixtures
class GenerationTasksBenchmark {

    private static final String TASK = "gsm8k_cot";
    /** gsm8k's test split in the fixtures. */
    private static final int DOCS = 40;

    private static final int ROUNDS = 2;
    private static final int MERGES = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one mode did in one run of the task. */
    private record Run(
            double taskSeconds,
            Meter meter,
            EngineTimes engine,
            double loadBefore,
            double loadAfter,
            InMemoryTaskContext context) {

        double generatedPerSecond() {
            return meter.generatedTokens / meter.seconds;
        }
    }

    @Test
    void generationTaskThroughput() throws IOException {
        long started = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        Path temp = Files.createTempDirectory("assay-generation-tasks-bench");
        Path fixtures = SharedFixtures.root();
        LmEvalCatalog catalog = new LmEvalCatalog(new LmEvalTaskFiles(
                LmEvalTaskFilesProperties.of(fixtures.resolve("tasks"), true), temp.resolve("task-cache")));
        DatasetResolver datasets = new DatasetResolver(
                new DatasetProperties(
                        fixtures,
                        null,
                        URI.create("http://127.0.0.1:9"),
                        null,
                        true,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        0,
                        Duration.ZERO),
                temp.resolve("datasets-cache"));
        int vocab = TestTokenizers.vocabularySize(MERGES);
        TinyDecoder model =
                new TinyDecoder(TinyDecoder.Layout.OPTIMUM, vocab, 384, 6, 6, 2, 1024, ElementType.FLOAT, 1);
        Path directory = temp.resolve("model");
        TestTokenizers.writeByteLevelModelFiles(
                directory, TestTokenizers.Options.defaults().withMerges(MERGES));
        model.writeTo(directory);
        long weightBytes = Files.size(directory.resolve("model.onnx"));

        EngineProperties continuous = EngineProperties.defaults()
                .withDevice("cpu")
                .withThreads(threads)
                .withSpinWait(false);
        EngineProperties single = continuous.withMaxBatchSize(1);
        Run bestContinuous = null;
        Run bestSingle = null;
        List<Double> roundRatios = new ArrayList<>();
        List<double[]> loads = new ArrayList<>();
        try (LanguageModel batched = new OnnxModelLoader(continuous, new HfModelTextLoader()).load(directory, null);
                LanguageModel alone = new OnnxModelLoader(single, new HfModelTextLoader()).load(directory, null)) {
            progress("warm-up");
            run(catalog, datasets, batched, 2);
            run(catalog, datasets, alone, 2);
            for (int round = 0; round < ROUNDS; round++) {
                progress("round " + (round + 1) + " of " + ROUNDS + ": continuous batching");
                Run c = run(catalog, datasets, batched, DOCS);
                progress("round " + (round + 1) + " of " + ROUNDS + ": one at a time");
                Run s = run(catalog, datasets, alone, DOCS);
                roundRatios.add(c.generatedPerSecond() / s.generatedPerSecond());
                loads.add(new double[] {c.loadBefore, s.loadAfter});
                bestContinuous =
                        bestContinuous == null || c.meter.seconds < bestContinuous.meter.seconds ? c : bestContinuous;
                bestSingle = bestSingle == null || s.meter.seconds < bestSingle.meter.seconds ? s : bestSingle;
            }
        }
        if (bestContinuous.context.store.samples.size() != DOCS || bestSingle.context.store.samples.size() != DOCS) {
            throw new IllegalStateException("a run stored fewer than " + DOCS + " documents");
        }
        int sameResponses = 0;
        for (var entry : bestContinuous.meter.responses.entrySet()) {
            if (entry.getValue().equals(bestSingle.meter.responses.get(entry.getKey()))) {
                sameResponses++;
            }
        }
        int truncated = 0;
        for (StoredSampleScore sample : bestContinuous.context.store.samples.values()) {
            truncated += sample.record().get("tokens").get("truncated").booleanValue() ? 1 : 0;
        }
        Meter m = bestContinuous.meter;
        int maxNew = m.maxNewTokens;

        List<String> rows = new ArrayList<>();
        rows.add("Model: a random-weight decoder built by the test code (`TinyDecoder`, Optimum layout, fp32, "
                + model.layers() + " layers, hidden " + model.hidden() + ", " + model.heads() + " query / "
                + model.kvHeads() + " KV heads, " + model.maxPositions() + " positions, "
                + String.format(Locale.ROOT, "%.1f", model.parameters() / 1e6) + "M parameters, "
                + (weightBytes >> 20) + " MB), written with a byte-level BPE `tokenizer.json` (`TestTokenizers`, "
                + MERGES + " merges, " + vocab + " tokens, the model's vocabulary) into a model directory and "
                + "loaded by `OnnxModelLoader` on the CPU, ORT with " + threads + " threads and `spin-wait` off. "
                + "Random weights write junk, so the scores mean nothing; what the model writes only decides "
                + "how long each row runs (to `max_gen_toks`, an EOS token or a stop string).");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Data and path: %s, 8-shot, all %d documents of the fixture's test split, through "
                        + "`LmEvalTaskRunner.run` with an in-memory task store: lm-eval's own task YAML (stop strings "
                        + "`Q:`, `</s>`, `<|im_end|>`, `max_gen_toks` %d, greedy), `RequestEncoder` (prompts cut from the "
                        + "left to leave room for the generated tokens, as lm-eval's HF backend does: %d of %d were cut, "
                        + "to %.0f tokens on average), `LanguageModel.generate` with every request of the task in one "
                        + "call, then the filters, `exact_match` and storage. Generated tokens/s counts the tokens the "
                        + "engine generated (EOS included) over the time spent inside `generate`, prefill included.",
                TASK,
                DOCS,
                maxNew,
                truncated,
                DOCS,
                m.promptTokens / (double) m.requests));
        rows.add("");
        rows.add("Continuous batching: the engine's defaults (`max-batch-size` " + continuous.maxBatchSize()
                + ", `max-batch-tokens` " + continuous.maxBatchTokens() + "): prompts wait longest first; a row that "
                + "finishes leaves the batch at once and free slots are refilled by prefilling waiting prompts. One "
                + "at a time: the same engine with `max-batch-size` 1. Each figure is from the faster of " + ROUNDS
                + " runs of each mode, the two modes alternating: the machine is shared, and other work only ever "
                + "slows a run down.");
        rows.add("");
        rows.add("Run it with:");
        rows.add("");
        rows.add("```bash");
        rows.add("./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark \\");
        rows.add("  -Dtest=GenerationTasksBenchmark -Dsurefire.failIfNoSpecifiedTests=false");
        rows.add("```");
        rows.add("");
        rows.add("## Continuous batching against one at a time");
        rows.add("");
        rows.add(
                "Prefills are the engine's generation passes from an empty cache (`RunKind.GENERATION_PASS`), decoding "
                        + "steps its passes of one new token per running row over the KV cache (`RunKind.DECODE_STEP`), as "
                        + "the engine counted them (`LanguageModel.times()`). Rows a step is the batch's occupancy: the rows "
                        + "of all decoding steps over their number. Task s is the whole `run`, prompts rendered and every "
                        + "document scored and stored.");
        rows.add("");
        rows.add("| mode | max batch | generated tokens | generate s | generated tok/s | prefills (runs, s) "
                + "| decoding steps (runs, s) | decode tok/s | rows a step | of max batch | cache copies s | task s |");
        rows.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        rows.add(row("continuous batching", continuous.maxBatchSize(), bestContinuous));
        rows.add(row("one at a time", 1, bestSingle));
        rows.add("");
        double ratio = bestContinuous.generatedPerSecond() / bestSingle.generatedPerSecond();
        EngineTimes.Total steps = bestContinuous.engine.of(RunKind.DECODE_STEP);
        rows.add(String.format(
                Locale.ROOT,
                "- Generated tokens/s with continuous batching over one at a time: **%.2f×** (each round's "
                        + "pair, in order: %s).",
                ratio,
                String.join(
                        ", ",
                        roundRatios.stream()
                                .map(r -> String.format(Locale.ROOT, "%.2f×", r))
                                .toList())));
        rows.add(String.format(
                Locale.ROOT,
                "- Occupancy: the decoding steps ran **%.1f rows** on average, %.0f%% of the %d allowed, over %d "
                        + "steps; one at a time ran %.1f.",
                steps.rowsPerRun(),
                100 * steps.rowsPerRun() / continuous.maxBatchSize(),
                continuous.maxBatchSize(),
                steps.runs(),
                bestSingle.engine.of(RunKind.DECODE_STEP).rowsPerRun()));
        EngineTimes.Total batchedPrefills = bestContinuous.engine.of(RunKind.GENERATION_PASS);
        EngineTimes.Total singleSteps = bestSingle.engine.of(RunKind.DECODE_STEP);
        rows.add(String.format(
                Locale.ROOT,
                "- Where it goes: a decoding step took %.1f ms with continuous batching (%.2f ms a row) against %.1f ms "
                        + "one at a time, so decoding alone ran **%.2f×** as many tokens a second; the prefills "
                        + "computed the same %d prompt positions in %.1f s against %.1f s, %.0f%% of continuous "
                        + "batching's time in `generate`. Prefill bounds the whole: even with free decoding, continuous "
                        + "batching could not beat one at a time by more than %.1f× here (one at a time's `generate` "
                        + "time over continuous batching's prefills).",
                1000 * steps.seconds() / steps.runs(),
                1000 * steps.seconds() / steps.rows(),
                1000 * singleSteps.seconds() / singleSteps.runs(),
                (steps.rows() / steps.seconds()) / (singleSteps.rows() / singleSteps.seconds()),
                batchedPrefills.filledPositions(),
                batchedPrefills.seconds(),
                bestSingle.engine.of(RunKind.GENERATION_PASS).seconds(),
                100 * batchedPrefills.seconds() / m.seconds,
                bestSingle.meter.seconds / batchedPrefills.seconds()));
        long kvBytesPerToken = 2L * model.layers() * model.kvHeads() * model.headSize() * 4;
        rows.add(String.format(
                Locale.ROOT,
                "- KV cache: %d KB a token of a row (%d layers × key and value × %d KV heads × %d × fp32), %d MB for "
                        + "a full batch of %d rows at the model's %d positions; an Optimum export's step concatenates "
                        + "past and present, so a step's cost grows with rows × widest row.",
                kvBytesPerToken >> 10,
                model.layers(),
                model.kvHeads(),
                model.headSize(),
                (kvBytesPerToken * continuous.maxBatchSize() * model.maxPositions()) >> 20,
                continuous.maxBatchSize(),
                model.maxPositions()));
        rows.add(String.format(
                Locale.ROOT,
                "- The two modes gave the same response for %d of %d documents (greedy; a batch pads rows and "
                        + "sums in another order, so a near tie between two tokens can go the other way).",
                sameResponses,
                DOCS));
        rows.add(String.format(
                Locale.ROOT,
                "- The 1-minute load average at the start and end of each round: %s (%d cores; this benchmark's "
                        + "own threads included).",
                String.join(
                        "; ",
                        loads.stream()
                                .map(l -> String.format(Locale.ROOT, "%.1f to %.1f", l[0], l[1]))
                                .toList()),
                threads));
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Total time: %.0f s.", (System.nanoTime() - started) / 1e9));
        rows.add("");
        rows.add(NOTES);
        BenchmarkReport.write("generation-tasks.md", "Generation tasks throughput", rows);
    }

    private static final String NOTES = """
            ## Reading the numbers

            - The machine is 2 cores shared with other engineers' builds and tests (the load average above counts
              them): absolute numbers move between runs by a factor of two or more, so only the ratios and the
              occupancy, measured in one run from the faster of the alternating runs of each mode, are worth
              comparing.
            - A decoding step of many rows reads the weights once for all of them and pays ORT's per-run overhead
              once, so it costs less a token than a step of one row; how much less shrinks as the cache grows,
              since each step of an Optimum export copies the whole batch's cache (the KV line above). Prefill is
              compute-bound, so batching it gains nothing (the same positions; the prompts, cut to the same
              length, do not pad; on this machine the batched prefills, of several 768-token prompts a pass, have
              taken longer than one prompt a pass). So the longer the prompts against the tokens generated, the
              smaller the gain of the whole: these prompts are three times `max_gen_toks`, and rows stop early at
              a stop string or EOS.
            - Occupancy below the maximum comes from the end of the run, when no prompts are left to refill the
              slots of finished rows and the last rows decode in a small batch, and from refills that wait until
              enough slots are free (a prefill and a cache merge cost about one step each). With the fixture's 40
              documents and batches of 32, the last 8 decode as a batch of 8 once the others are done; a whole
              test split (gsm8k has 1,319 documents) would spend a much smaller share of its steps in such a tail
              (not measured here).
            - Cache copies (the merges of newly prefilled rows into the running batch and the trims of finished
              rows) are the price of continuous batching; one at a time makes none.
            """;

    private static String row(String mode, int maxBatch, Run run) {
        EngineTimes.Total prefills = run.engine.of(RunKind.GENERATION_PASS);
        EngineTimes.Total steps = run.engine.of(RunKind.DECODE_STEP);
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.1f | %.1f | %d, %.1f | %d, %.1f | %.1f | %.2f | %.0f%% | %.1f | %.1f |",
                mode,
                maxBatch,
                run.meter.generatedTokens,
                run.meter.seconds,
                run.generatedPerSecond(),
                prefills.runs(),
                prefills.seconds(),
                steps.runs(),
                steps.seconds(),
                steps.rows() / steps.seconds(),
                steps.rowsPerRun(),
                100 * steps.rowsPerRun() / maxBatch,
                run.engine.of(RunKind.CACHE_COPY).seconds(),
                run.taskSeconds);
    }

    private static Run run(LmEvalCatalog catalog, DatasetResolver datasets, LanguageModel model, int limit) {
        Meter meter = new Meter(model);
        var context = new InMemoryTaskContext(
                TASK, "{\"numFewshot\": 8, \"limit\": " + limit + "}", meter, new InMemoryTaskContext.Store());
        double loadBefore = loadAverage();
        EngineTimes before = model.times();
        long t0 = System.nanoTime();
        new LmEvalTaskRunner(TASK, catalog, datasets, null, JSON).run(context);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(seconds, meter, model.times().since(before), loadBefore, loadAverage(), context);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    /** The engine as the runner sees it, timing {@code generate} and counting what it was asked and made. */
    private static final class Meter implements LanguageModel {
        private final LanguageModel model;
        double seconds;
        int requests;
        long promptTokens;
        long generatedTokens;
        int maxNewTokens;
        final Map<String, String> responses = new TreeMap<>();

        Meter(LanguageModel model) {
            this.model = model;
        }

        @Override
        public void generate(List<GenerationRequest> batch, GenerationSink sink) {
            for (GenerationRequest r : batch) {
                requests++;
                promptTokens += r.promptTokens().length;
                maxNewTokens = Math.max(maxNewTokens, r.sampling().maxNewTokens());
            }
            long t0 = System.nanoTime();
            model.generate(batch, new GenerationSink() {
                @Override
                public void accept(GenerationResult result) {
                    generatedTokens += result.outputTokens();
                    responses.put(result.id(), result.text());
                    sink.accept(result);
                }

                @Override
                public boolean shouldStop() {
                    return sink.shouldStop();
                }
            });
            seconds += (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public EngineTimes times() {
            return model.times();
        }

        @Override
        public TextTokenizer tokenizer() {
            return model.tokenizer();
        }

        @Override
        public String applyChatTemplate(List<ChatMessage> messages, boolean addGenerationPrompt) {
            return model.applyChatTemplate(messages, addGenerationPrompt);
        }

        @Override
        public void loglikelihood(List<ScoringRequest> requests, ScoringSink sink) {
            model.loglikelihood(requests, sink);
        }

        @Override
        public void close() {
            // the benchmark closes the model it wraps
        }
    }
}
