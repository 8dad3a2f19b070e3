package ai.assay.worker.lmeval;

import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.reference.chat.ChatMessage;
import ai.assay.reference.lmeval.SampleRecords;
import ai.assay.reference.lmeval.ScoringArguments;
import ai.assay.reference.lmeval.testing.TestDatasets;
import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.engine.EngineTimes;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.RunKind;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringResult;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.engine.decoding.LengthBuckets;
import ai.assay.worker.engine.decoding.OnnxModelLoader;
import ai.assay.worker.engine.prompt.HfModelTextLoader;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.runtime.GemmProbe;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Log-likelihood scoring throughput through the path a job takes: {@link LmEvalTaskRunner} renders arc_easy's
 * requests with the lm-eval code, {@link RequestEncoder} tokenizes them with a byte-level BPE {@code tokenizer.json},
 * and the ONNX engine scores them on random-weight decoders (Optimum layout, fp32) loaded from a model directory.
 * For three model sizes it compares the engine's normal batching (up to 32 rows a pass) with one request a pass
 * (max batch size 1), then times a whole 2,376-question arc_easy run. It also records what bounds the ratio: the
 * machine's GEMM rate and memory bandwidth, the positions the shared-context path skips, padding, and the logits
 * computed but never read. Not a test: it asserts nothing and writes docs/benchmarks/scoring.md. Run with
 * {@code ./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark
 * -Dtest=ScoringBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (about 5 minutes on 2 shared cores).
 */
@Tag("benchmark")
class ScoringBenchmark {

    /** ARC-Easy's test split. */
    private static final int QUESTIONS = 2376;

    private static final int BATCH = 32;
    private static final int VOCAB = 32000;
    /** The most the training text of the test tokenizer supports; more merges, shorter (more realistic) inputs. */
    private static final int MERGES = 300;

    private static final String ARC_EASY_TEST = "allenai/ai2_arc/ARC-Easy/test.jsonl";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A model and how many of the first documents its batched / one-by-one comparison scores, how often. */
    private record Shape(String label, TinyDecoder model, int docs, int rounds) {}

    private record Limits(double bandwidth, double gflops) {}

    /** The fastest run of each mode and the ratio of each round's pair of runs, in order. */
    private record Comparison(Shape shape, long weightBytes, Meter batched, Meter single, List<Double> roundRatios) {
        double ratio() {
            return single.seconds / batched.seconds;
        }
    }

    @Test
    void scoringThroughput() throws IOException {
        long started = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        Path temp = Files.createTempDirectory("assay-scoring-bench");
        int realRows = (int) TestDatasets.read(ARC_EASY_TEST)
                .lines()
                .filter(l -> !l.isBlank())
                .count();
        DatasetResolver datasets = arcEasyOf(QUESTIONS, temp);
        LmEvalCatalog catalog = new LmEvalCatalog();
        int tokenizerVocab = TestTokenizers.vocabularySize(MERGES);

        Shape main = new Shape(
                "20M",
                new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 256, 4, 8, 4, 1024, ElementType.FLOAT, 1),
                320,
                3);
        List<Shape> shapes = List.of(
                new Shape(
                        "tiny",
                        new TinyDecoder(
                                TinyDecoder.Layout.OPTIMUM, tokenizerVocab, 64, 2, 4, 2, 1024, ElementType.FLOAT, 1),
                        120,
                        3),
                main,
                new Shape(
                        "56M",
                        new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 512, 8, 8, 4, 1024, ElementType.FLOAT, 1),
                        160,
                        2),
                new Shape(
                        "20M genai",
                        new TinyDecoder(TinyDecoder.Layout.GENAI, VOCAB, 256, 4, 8, 4, 1024, ElementType.FLOAT, 1),
                        320,
                        3));

        progress("machine limits");
        Limits before = machineLimits(threads);
        EngineProperties batchedEngine = EngineProperties.defaults()
                .withDevice("cpu")
                .withThreads(threads)
                .withMaxBatchSize(BATCH)
                .withSpinWait(false);
        EngineProperties singleEngine = batchedEngine.withMaxBatchSize(1);
        List<Comparison> comparisons = new ArrayList<>();
        Meter full = null;
        double fullSeconds = 0;
        InMemoryTaskContext fullRun = null;
        int maxBatchTokens = batchedEngine.maxBatchTokens();
        double[] fullLoad = new double[2];
        double minLoad = Double.MAX_VALUE;
        double maxLoad = 0;
        for (Shape shape : shapes) {
            Path directory = temp.resolve("model-" + shape.label());
            TestTokenizers.writeByteLevelModelFiles(
                    directory, TestTokenizers.Options.defaults().withMerges(MERGES));
            shape.model().writeTo(directory);
            long weightBytes = Files.size(directory.resolve("model.onnx"));
            try (LanguageModel batched =
                            new OnnxModelLoader(batchedEngine, new HfModelTextLoader()).load(directory, null);
                    LanguageModel single =
                            new OnnxModelLoader(singleEngine, new HfModelTextLoader()).load(directory, null)) {
                String options = "{\"limit\": " + shape.docs() + ", \"batchSize\": " + BATCH + "}";
                run(catalog, datasets, batched, "{\"limit\": 8}");
                run(catalog, datasets, single, "{\"limit\": 8}");
                Meter bestBatched = null;
                Meter bestSingle = null;
                List<Double> roundRatios = new ArrayList<>();
                for (int round = 0; round < shape.rounds(); round++) {
                    progress(shape.label() + ": round " + (round + 1) + " of " + shape.rounds());
                    double load = loadAverage();
                    minLoad = Math.min(minLoad, load);
                    maxLoad = Math.max(maxLoad, load);
                    Meter b = run(catalog, datasets, batched, options).meter;
                    Meter s = run(catalog, datasets, single, options).meter;
                    roundRatios.add(s.seconds / b.seconds);
                    bestBatched = bestBatched == null || b.seconds < bestBatched.seconds ? b : bestBatched;
                    bestSingle = bestSingle == null || s.seconds < bestSingle.seconds ? s : bestSingle;
                }
                comparisons.add(new Comparison(shape, weightBytes, bestBatched, bestSingle, roundRatios));
                if (shape == main) {
                    progress(shape.label() + ": all " + QUESTIONS + " questions");
                    fullLoad[0] = loadAverage();
                    long t0 = System.nanoTime();
                    Run whole = run(catalog, datasets, batched, "{\"batchSize\": " + BATCH + "}");
                    fullSeconds = (System.nanoTime() - t0) / 1e9;
                    fullLoad[1] = loadAverage();
                    full = whole.meter;
                    fullRun = whole.context;
                }
            }
        }
        progress("machine limits again");
        Limits after = machineLimits(threads);
        double gemm = Math.max(before.gflops, after.gflops);
        double bandwidth = Math.max(before.bandwidth, after.bandwidth);
        if (fullRun == null || fullRun.store.samples.size() != QUESTIONS) {
            throw new IllegalStateException("the whole run stored "
                    + (fullRun == null ? 0 : fullRun.store.samples.size()) + " of " + QUESTIONS + " documents");
        }

        Comparison mainComparison = comparisons.get(1);
        double largestDifference = 0;
        for (Map.Entry<String, Double> e :
                mainComparison.batched().logLikelihoods.entrySet()) {
            largestDifference = Math.max(
                    largestDifference,
                    Math.abs(e.getValue()
                            - mainComparison.single().logLikelihoods.get(e.getKey())));
        }
        List<String> rows = new ArrayList<>();
        TinyDecoder m = main.model();
        double rate56 =
                comparisons.get(2).batched().requests / comparisons.get(2).batched().seconds;
        long contextChars = 0;
        for (StoredSampleScore sample : fullRun.store.samples.values()) {
            for (ScoringArguments arguments : SampleRecords.arguments(sample.record())) {
                contextChars += arguments.context().length();
            }
        }
        rows.add("Models: random-weight decoders built by the test code (`TinyDecoder`, fp32; Optimum layout, except "
                + "\"genai\": GroupQueryAttention as the onnxruntime-genai builder writes it), each "
                + "written with a byte-level BPE `tokenizer.json` (`TestTokenizers`, " + MERGES + " merges, "
                + tokenizerVocab + " tokens) into a model directory and loaded by `OnnxModelLoader` on the CPU, "
                + "ORT with " + threads + " threads and `spin-wait` off. The main one, **" + main.label() + "**, has "
                + m.layers() + " layers, hidden " + m.hidden() + ", " + m.heads() + " query / " + m.kvHeads()
                + " KV heads, vocabulary " + m.vocabSize() + " ("
                + String.format(Locale.ROOT, "%.1f", m.parameters() / 1e6) + "M parameters, "
                + (mainComparison.weightBytes() >> 20) + " MB): "
                + String.format(
                        Locale.ROOT,
                        "GenerationBenchmark's 56M configuration would take about %.0f "
                                + "minutes for the whole run on this machine (at its batched rate below), so it is compared on the "
                                + "first %d questions only. The tokenizer has fewer merges than a production one (the models' "
                                + "extra vocabulary rows are never the target of a request), so inputs are longer: %.1f characters "
                                + "a context token, where a 32k-vocabulary BPE makes about 4 on English text; on average ",
                        full.requests / rate56 / 60,
                        shapes.get(2).docs(),
                        contextChars / (double) full.contextTokens)
                + String.format(Locale.ROOT, "%.1f", full.contextTokens / (double) full.requests)
                + " context and " + String.format(Locale.ROOT, "%.1f", full.continuationTokens / (double) full.requests)
                + " continuation tokens a request.");
        rows.add("");
        rows.add("Data: the fixture holds " + realRows + " real rows of ARC-Easy's test split; the " + QUESTIONS
                + " documents cycle through them, and every copy after the first has its number appended to the "
                + "question (`... food webs? (2)`) so that no two documents make the same request: the engine "
                + "scores identical inputs in one batch once, which would flatter batching. 0-shot, "
                + full.requests + " requests (one per choice).");
        rows.add("");
        rows.add("Path: `LmEvalTaskRunner.run` with an in-memory task store (records round-trip through JSON as in "
                + "the database): lm-eval rendering, `RequestEncoder`, documents sorted by their longest request and "
                + "sent whole, up to " + BATCH + " requests a call, `LanguageModel.loglikelihood`, per-document "
                + "scoring and storage, metrics. Requests/s counts the time spent inside `loglikelihood`. Each figure "
                + "is the fastest of repeated runs, the two modes alternating: the machine is shared, and other work "
                + "only ever slows a run down.");
        rows.add("");
        rows.add("Run it with:");
        rows.add("");
        rows.add("```bash");
        rows.add("./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark \\");
        rows.add("  -Dtest=ScoringBenchmark -Dsurefire.failIfNoSpecifiedTests=false");
        rows.add("```");
        rows.add("");
        rows.add("## Machine limits");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "fp32 GEMM %.1f GFLOP/s (the fastest ORT MatMul of 2048×2048×2048 and "
                        + "the 20M model's own shapes, [512,256]×[256,32000], [512,256]×[256,1024] and [512,1024]×[1024,256] "
                        + "with the weights a constant, packed at load as a model's are; on this shared machine the same "
                        + "product's rate moves by a third between runs) and memory bandwidth "
                        + "%.1f GB/s (ORT MatMul [1,4096]×[4096,16384], streaming 256 MB of weights), %d threads, the best "
                        + "of measurements before and after the engine's runs (%.1f and %.1f GFLOP/s; %.1f and %.1f GB/s).",
                gemm / 1e9,
                bandwidth / 1e9,
                threads,
                before.gflops / 1e9,
                after.gflops / 1e9,
                before.bandwidth / 1e9,
                after.bandwidth / 1e9));
        rows.add("");
        rows.add("## Batched against one by one");
        rows.add("");
        rows.add("Batched: the engine's defaults (`max-batch-size` " + BATCH + ", `max-batch-tokens` "
                + maxBatchTokens + "): the questions of a call run their contexts once (one prefill of every "
                + "context without its last token, keeping only the KV cache, then the choices, in passes of similar "
                + "lengths, over copies of it). One by one: the same engine with `max-batch-size` 1, so every "
                + "request is a pass of its own over its whole input. The questions are the first of the cycled "
                + "documents (the 40 real rows, then their numbered copies), so lengths are spread as in the whole "
                + "run. Positions a "
                + "request: over the whole input (ctx + cont − 1, what one by one computes) and what the batched "
                + "passes compute (each prefix once, each choice's continuation), padding left out, as the engine "
                + "counted them (`LanguageModel.times()`). Padding: its share of the batched passes' positions. "
                + "GFLOP/s counts 2 FLOP per weight of every matrix "
                + "(embedding lookups and attention left out) per position computed, a prefix position at what it "
                + "costs (its logits are not computed: the prefill runs a copy of the graph without them). "
                + "\"Expected\" is the ratio if a pass took its arithmetic at the GEMM "
                + "rate plus one read of the weights at the measured bandwidth, and nothing else: (F_whole / GEMM + "
                + "W / BW) / (F_batched / GEMM + passes × W / BW), per request; the fixed cost of a call, left out, "
                + "adds a little to the real ratio.");
        rows.add("");
        rows.add("| model | shape | params | questions | requests | positions a request, whole / batched | padding "
                + "| batched req/s | batched GFLOP/s | one by one req/s | one by one GFLOP/s | ratio | expected |");
        rows.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Comparison c : comparisons) {
            TinyDecoder model = c.shape().model();
            double batchedFlops = flops(c.batched(), model);
            double singleFlops = flops(c.single(), model);
            rows.add(String.format(
                    Locale.ROOT,
                    "| %s | %d layers × %d, vocab %d | %.1fM | %d | %d | %.1f / %.1f "
                            + "| %.1f%% | %.1f | %.1f (%.0f%%) | %.1f | %.1f (%.0f%%) | **%.2f×** | %.2f× |",
                    c.shape().label(),
                    model.layers(),
                    model.hidden(),
                    model.vocabSize(),
                    model.parameters() / 1e6,
                    c.shape().docs(),
                    c.batched().requests,
                    c.batched().positions / (double) c.batched().requests,
                    c.batched().computedPositions() / (double) c.batched().requests,
                    c.batched().paddingPercent(),
                    c.batched().requests / c.batched().seconds,
                    batchedFlops / c.batched().seconds / 1e9,
                    100 * batchedFlops / c.batched().seconds / gemm,
                    c.single().requests / c.single().seconds,
                    singleFlops / c.single().seconds / 1e9,
                    100 * singleFlops / c.single().seconds / gemm,
                    c.ratio(),
                    expectedRatio(c, gemm, bandwidth)));
        }
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "The 1-minute load average at the start of each comparison round was "
                        + "between %.1f and %.1f (%d cores; the count includes this benchmark's own threads). The two modes' "
                        + "log-likelihoods of the %s model's %d requests differ by at most %.1e (float rounding: the same "
                        + "arithmetic in another order).",
                minLoad,
                maxLoad,
                threads,
                main.label(),
                mainComparison.batched().requests,
                largestDifference));
        rows.add("");
        rows.add("Each round's pair of runs (batched, then one by one) gives a ratio of its own; how far they spread "
                + "shows how much of a difference between ratios the machine's noise can make:");
        rows.add("");
        for (Comparison c : comparisons) {
            rows.add("- " + c.shape().label() + ": "
                    + c.roundRatios().stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f×", r))
                            .collect(Collectors.joining(", ")));
        }
        rows.add("");
        rows.add("## Where the time goes");
        rows.add("");
        rows.add("The engine's own count of its ONNX Runtime runs (`LanguageModel.times()`), in the fastest run of "
                + "each mode of the " + main.label() + " comparison and in the whole arc_easy run: scoring passes (the "
                + "decoder with its logits), prefills (the copy of the graph without logits, KV cache only), token "
                + "scores (the helper graph that takes the log-softmax of the logits at the scored positions and "
                + "their argmax, so that only those values leave the device) and cache copies (the helper graphs "
                + "that copy each prefix's cache rows once per choice). Share: of the time inside `loglikelihood`; "
                + "the rest is Java (building the batches, delivering the results).");
        rows.add("");
        rows.add("| kind | batched runs | batched s | share | one by one runs | one by one s | share | whole run runs "
                + "| whole run s | share |");
        rows.add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Set<RunKind> kinds = EnumSet.noneOf(RunKind.class);
        kinds.addAll(mainComparison.batched().engine.byKind().keySet());
        kinds.addAll(mainComparison.single().engine.byKind().keySet());
        for (RunKind kind : kinds) {
            StringBuilder row = new StringBuilder("| " + kind.label());
            for (Meter meter : List.of(mainComparison.batched(), mainComparison.single(), full)) {
                EngineTimes.Total total = meter.engine.of(kind);
                row.append(String.format(
                        Locale.ROOT,
                        " | %d | %.2f | %.0f%%",
                        total.runs(),
                        total.seconds(),
                        100 * total.seconds() / meter.seconds));
            }
            rows.add(row.append(" |").toString());
        }
        rows.add("");
        double worst = comparisons.stream().mapToDouble(Comparison::ratio).min().orElseThrow();
        rows.add("## Target");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "- Requests/s at batch %d over one by one, %s model: **%.2f×** "
                        + "(target ≥ 4×: %s; its rounds %.2f× to %.2f×; %.2f× to %.2f× across the models).",
                BATCH,
                main.label(),
                mainComparison.ratio(),
                mainComparison.ratio() >= 4 ? "met" : "not met",
                mainComparison.roundRatios().stream()
                        .mapToDouble(Double::doubleValue)
                        .min()
                        .orElseThrow(),
                mainComparison.roundRatios().stream()
                        .mapToDouble(Double::doubleValue)
                        .max()
                        .orElseThrow(),
                worst,
                comparisons.stream().mapToDouble(Comparison::ratio).max().orElseThrow()));
        rows.add("");
        rows.add("## Whole arc_easy run");
        rows.add("");
        MetricValue acc = fullRun.store.metrics.get(0);
        rows.add(String.format(
                Locale.ROOT,
                "%d questions, %d requests, %s model, batched: **%.0f s** from the "
                        + "start of `LmEvalTaskRunner.run` to the stored metrics, %.0f s of it inside `loglikelihood` "
                        + "(%.1f requests/s, %.0f positions computed a second, %.1f GFLOP/s, %.0f%% of the GEMM rate); the "
                        + "rest, %.1f s, is loading the %d rows, rendering, tokenizing, storing and the metrics. %s = %.4f "
                        + "(chance is about 0.25 for random weights).",
                QUESTIONS,
                full.requests,
                main.label(),
                fullSeconds,
                full.seconds,
                full.requests / full.seconds,
                full.computedPositions() / full.seconds,
                flops(full, m) / full.seconds / 1e9,
                100 * flops(full, m) / full.seconds / gemm,
                fullSeconds - full.seconds,
                QUESTIONS,
                acc.metric(),
                acc.value()));
        rows.add("");
        double comparedRate = mainComparison.batched().computedPositions() / mainComparison.batched().seconds;
        rows.add(String.format(
                Locale.ROOT,
                "One run (it takes a minute or more), so not the fastest of several: the "
                        + "1-minute load average was %.1f when it started and %.1f when it ended. At the positions/s of the "
                        + "fastest batched comparison run above (%.0f), its scoring would have taken %.0f s.",
                fullLoad[0],
                fullLoad[1],
                comparedRate,
                full.computedPositions() / comparedRate));
        rows.add("");
        rows.add("## What bounds the ratio");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Measured on the whole run's %d requests (%d engine calls of up to %d):",
                full.requests,
                full.calls,
                BATCH));
        rows.add("");
        double whole = full.positions / (double) full.requests;
        double computed = full.computedPositions() / (double) full.requests;
        rows.add(String.format(
                Locale.ROOT,
                "- **Shared contexts** are the gain: %.0f%% of the requests share their "
                        + "context with another request of their call (the question's other choices), and the engine ran "
                        + "each such context once, which cuts the positions computed from %.1f a request (the whole input) "
                        + "to %.1f, "
                        + "%.2f× fewer. Padding, the cache copies and the token scores give part of it back (below): the "
                        + "batched mode runs further from the GEMM rate than one by one does (the GFLOP/s columns).",
                100.0 * full.sharedContextRequests / full.requests,
                whole,
                computed,
                whole / computed));
        rows.add(String.format(
                Locale.ROOT,
                "- **Batch 1 is already compute-bound.** One request one by one is a "
                        + "pass over %.0f positions on average: each weight matrix meets a [%.0f × hidden] block, enough "
                        + "rows for ORT's GEMM kernels to run near their peak (the one-by-one GFLOP/s in the table), so "
                        + "batching has little to amortise but the reads of the weights (%d MB, %.1f ms at the measured "
                        + "bandwidth, against %.1f ms of arithmetic) and the call's fixed cost. The CPU's ratio of FLOP/s "
                        + "to bandwidth (%.1f FLOP/byte) is far below the %.0f FLOP per byte of weights such a pass does.",
                whole,
                whole,
                mainComparison.weightBytes() >> 20,
                1000 * mainComparison.weightBytes() / bandwidth,
                1000 * whole * flopsPerPosition(m) / gemm,
                gemm / bandwidth,
                2 * whole / 4));
        rows.add(String.format(
                Locale.ROOT,
                "- **No logits for the prefixes**: ORT runs every node of a graph whatever "
                        + "outputs a call asks for, so the prefill runs a copy of the graph without its logits and without "
                        + "what only they needed (`GraphPruning`: the projection onto the vocabulary, the final norm, the "
                        + "last layer's queries, attention output and MLP). A prefix position of the %s model costs %.0f%% "
                        + "of a scored one; the prefixes are %.0f%% of the positions the batched passes compute.",
                main.label(),
                100.0 * prefixFlopsPerPosition(m) / flopsPerPosition(m),
                100.0 * full.prefixPositions() / full.computedPositions()));
        rows.add(String.format(
                Locale.ROOT,
                "- **Padding** is %.1f%% of the batched passes' positions in the whole "
                        + "run (%.1f%% in the %s comparison, whose few questions are spread wider in length): a call's "
                        + "prefixes run in one pass at the width of the longest, its choices in passes of similar lengths "
                        + "(`LengthBuckets`, a pass costing as much as %d positions). The expected column leaves padding "
                        + "out.",
                full.paddingPercent(),
                mainComparison.batched().paddingPercent(),
                main.label(),
                LengthBuckets.passCost(false)));
        EngineTimes.Total batchedScores = mainComparison.batched().engine.of(RunKind.TOKEN_SCORES);
        EngineTimes.Total singleScores = mainComparison.single().engine.of(RunKind.TOKEN_SCORES);
        rows.add(String.format(
                Locale.ROOT,
                "- **Token scores cost the same in both modes**: the log-softmax over the "
                        + "%d-token vocabulary and the argmax run at every scored token, %d a request, however the passes are "
                        + "grouped. In the %s comparison they took %.2f s batched and %.2f s one by one: %.0f%% of the "
                        + "batched time against %.0f%%. Were they free in both modes, the ratio would be %.2f× instead of "
                        + "%.2f×.",
                m.vocabSize(),
                Math.round(full.continuationTokens / (double) full.requests),
                main.label(),
                batchedScores.seconds(),
                singleScores.seconds(),
                100 * batchedScores.seconds() / mainComparison.batched().seconds,
                100 * singleScores.seconds() / mainComparison.single().seconds,
                (mainComparison.single().seconds - singleScores.seconds())
                        / (mainComparison.batched().seconds - batchedScores.seconds()),
                mainComparison.ratio()));
        Meter batchedMain = mainComparison.batched();
        Meter singleMain = mainComparison.single();
        double flopRatio =
                (flops(singleMain, m) / singleMain.requests) / (flops(batchedMain, m) / batchedMain.requests);
        double singleRate = flops(singleMain, m) / singleMain.seconds;
        double batchedRate = flops(batchedMain, m) / batchedMain.seconds;
        double neededRate = 4 * singleRate / flopRatio;
        rows.add(String.format(
                Locale.ROOT,
                "- **The arithmetic skipped is the ceiling**: in the %s comparison one by "
                        + "one computes %.2f× the FLOPs a request that the batched passes do (its whole inputs; the prefixes "
                        + "once, at their cost), which is the ratio the two modes would show at the same GFLOP/s. 4× needs "
                        + "the batched mode, token scores, prefills and all, at %.0f%% of one by one's GFLOP/s (%.1f "
                        + "against %.1f); it ran at %.0f%% (%.1f). A scoring pass took %.0f µs a position batched and %.0f µs "
                        + "one by one; the batched mode pays besides for the prefills, the cache copies and a larger share "
                        + "of token scores.",
                main.label(),
                flopRatio,
                100 * neededRate / singleRate,
                neededRate / 1e9,
                singleRate / 1e9,
                100 * batchedRate / singleRate,
                batchedRate / 1e9,
                batchedMain.microsPerScoringPassPosition(),
                singleMain.microsPerScoringPassPosition()));
        Comparison tiny = comparisons.get(0);
        rows.add(String.format(
                Locale.ROOT,
                "- **The tiny model** has almost no arithmetic (%.0f%% of the GEMM rate "
                        + "one by one), so its time goes mostly to work that grows with the positions as the requests do "
                        + "(layer norms, attention masks and softmax, small matrix products far from the GEMM rate) and to "
                        + "the fixed cost of a call; its ratio (%.2f×) follows the positions skipped.",
                100 * flops(tiny.single(), tiny.shape().model()) / tiny.single().seconds / gemm,
                tiny.ratio()));
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Total time: %.0f s.", (System.nanoTime() - started) / 1e9));
        rows.add("");
        rows.add(NOTES);
        BenchmarkReport.write("scoring.md", "Log-likelihood scoring throughput", rows);
        deleteTree(temp);
    }

    /**
     * The ratio to expect if every pass cost its arithmetic at the GEMM rate plus one read of the weights: one pass
     * a request one by one, the counted passes a request batched.
     */
    private static double expectedRatio(Comparison c, double gemm, double bandwidth) {
        TinyDecoder model = c.shape().model();
        double weights = c.weightBytes() / bandwidth;
        double single = flops(c.single(), model) / c.single().requests / gemm + weights;
        double batched = flops(c.batched(), model) / c.batched().requests / gemm
                + weights * c.batched().passes() / c.batched().requests;
        return single / batched;
    }

    /**
     * The FLOPs of the positions a run computed, its prefix positions (batched only) at what the prefill graph
     * computes.
     */
    private static double flops(Meter meter, TinyDecoder model) {
        return (double) (meter.computedPositions() - meter.prefixPositions()) * flopsPerPosition(model)
                + (double) meter.prefixPositions() * prefixFlopsPerPosition(model);
    }

    /**
     * A prefix position in the graph without logits: everything but the projection onto the vocabulary and, in the
     * last layer, the queries, the attention output and the MLP (only its keys and values are kept).
     */
    private static long prefixFlopsPerPosition(TinyDecoder model) {
        long h = model.hidden();
        long queries = h * model.heads() * model.headSize();
        return flopsPerPosition(model) - 2 * (h * model.vocabSize() + 2 * queries + 8 * h * h);
    }

    private static final String NOTES = """
            ## Reading the numbers

            - The 4× target assumes that one request a pass leaves the hardware mostly idle, bound by reading the
              weights and by the fixed cost of a call, which a batch of 32 pays once for all. That is how a GPU
              behaves (its FLOP/s per byte of bandwidth is far higher; not measured here). On a CPU the same pass
              already keeps the cores busy with arithmetic, so requests/s is about the GEMM rate divided by the
              FLOPs a request takes: batching alone gains little here, and the batched mode's gain comes from doing
              less arithmetic, the contexts its choices share run once.
            - genai exports (GroupQueryAttention) do not share contexts: ORT's GroupQueryAttention refuses several
              new tokens after a past in a batch of more than one row, so a batch runs whole inputs and its ratio
              is plain batching's (the genai row). Running the continuations one token a pass instead, as
              generation decodes, was tried while this was written and not kept: on this CPU it ran no faster
              than whole inputs batched, and on a GPU every such pass would read all the weights.
            - On this machine other jobs share the two cores, so absolute numbers move between runs; the ratios
              come from alternating runs of the two modes, the fastest of each.
            """;

    /** 2 FLOP per weight of every matrix a position goes through (embedding and position lookups excluded). */
    private static long flopsPerPosition(TinyDecoder model) {
        return 2
                * (model.parameters()
                        - (long) model.vocabSize() * model.hidden()
                        - (long) model.maxPositions() * model.hidden());
    }

    /** What one task run sent to the engine, and its context (store, metrics). */
    private record Run(Meter meter, InMemoryTaskContext context) {}

    private static Run run(LmEvalCatalog catalog, DatasetResolver datasets, LanguageModel model, String options) {
        Meter meter = new Meter(model);
        InMemoryTaskContext context =
                new InMemoryTaskContext("arc_easy", options, meter, new InMemoryTaskContext.Store());
        EngineTimes before = model.times();
        new LmEvalTaskRunner(
                        "arc_easy",
                        catalog,
                        datasets,
                        null,
                        tools.jackson.databind.json.JsonMapper.builder().build())
                .run(context);
        meter.engine = model.times().since(before);
        return new Run(meter, context);
    }

    /**
     * An {@code assay.datasets.dir} with the shipped fixtures, except that ARC-Easy's test split holds
     * {@code questions} rows cycled from the real ones, each copy after the first numbered in its question.
     */
    private static DatasetResolver arcEasyOf(int questions, Path temp) throws IOException {
        Path dir = TestDatasets.writeTo(temp.resolve("datasets"));
        List<String> real = TestDatasets.read(ARC_EASY_TEST)
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < questions; i++) {
            ObjectNode row = (ObjectNode) JSON.readTree(real.get(i % real.size()));
            int copy = i / real.size();
            if (copy > 0) {
                row.put("id", row.get("id").stringValue() + "_" + copy);
                row.put("question", row.get("question").stringValue() + " (" + (copy + 1) + ")");
            }
            rows.append(JSON.writeValueAsString(row)).append('\n');
        }
        Files.writeString(dir.resolve(ARC_EASY_TEST), rows);
        return new DatasetResolver(
                new DatasetProperties(
                        dir,
                        null,
                        URI.create("http://127.0.0.1:9"),
                        null,
                        true,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        0,
                        Duration.ZERO),
                temp.resolve("cache"));
    }

    /**
     * The engine as the runner sees it, timing {@code loglikelihood} and counting what it was asked: requests, their
     * tokens and input positions (ctx + cont − 1, what a pass over the whole input computes). What the engine's
     * passes computed comes from the engine's own count of its runs ({@link #engine}, set after the task).
     */
    private static final class Meter implements LanguageModel {
        private final LanguageModel model;
        double seconds;
        int calls;
        int requests;
        long positions;
        long contextTokens;
        long continuationTokens;
        /** Requests whose context another request of the same call has too (a question's other choices). */
        int sharedContextRequests;
        /** The engine's runs during the task, by kind. */
        EngineTimes engine = EngineTimes.NONE;
        /** The last log-likelihood seen for each request id. */
        final Map<String, Double> logLikelihoods = new HashMap<>();

        Meter(LanguageModel model) {
            this.model = model;
        }

        /** Forward passes of the decoder: prefills and scoring passes. */
        long passes() {
            return engine.of(RunKind.PREFILL).runs()
                    + engine.of(RunKind.SCORING_PASS).runs();
        }

        /** Positions the passes computed that held a token, padding left out. */
        long computedPositions() {
            return engine.of(RunKind.PREFILL).filledPositions()
                    + engine.of(RunKind.SCORING_PASS).filledPositions();
        }

        /** Positions of shared prefixes: computed for their KV cache, their logits never computed. */
        long prefixPositions() {
            return engine.of(RunKind.PREFILL).filledPositions();
        }

        /** Wall-clock microseconds of a scoring pass per position it computed, padding included. */
        double microsPerScoringPassPosition() {
            EngineTimes.Total scoring = engine.of(RunKind.SCORING_PASS);
            return 1e6 * scoring.seconds() / scoring.positions();
        }

        /** Padding as a share of the positions the passes compute. */
        double paddingPercent() {
            long padded = engine.of(RunKind.PREFILL).positions()
                    + engine.of(RunKind.SCORING_PASS).positions();
            return 100.0 * (padded - computedPositions()) / padded;
        }

        @Override
        public void loglikelihood(List<ScoringRequest> batch, ScoringSink sink) {
            Map<String, Integer> requestsByContext = new HashMap<>();
            for (ScoringRequest r : batch) {
                positions += r.contextTokens().length + r.continuationTokens().length - 1;
                contextTokens += r.contextTokens().length;
                continuationTokens += r.continuationTokens().length;
                requestsByContext.merge(Arrays.toString(r.contextTokens()), 1, Integer::sum);
            }
            sharedContextRequests += requestsByContext.values().stream()
                    .filter(n -> n > 1)
                    .mapToInt(Integer::intValue)
                    .sum();
            calls++;
            requests += batch.size();
            long t0 = System.nanoTime();
            model.loglikelihood(batch, new ScoringSink() {
                @Override
                public void accept(ScoringResult result) {
                    logLikelihoods.put(result.id(), result.logLikelihood());
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
        public void generate(List<GenerationRequest> requests, GenerationSink sink) {
            model.generate(requests, sink);
        }

        @Override
        public void close() {
            // the benchmark closes the model it wraps
        }
    }

    /**
     * The attainable fp32 GEMM rate (2048×2048×2048) and the memory bandwidth ORT's kernels reach streaming
     * weights (a [1,4096]×[4096,16384] MatMul reads 256 MB).
     */
    private static Limits machineLimits(int threads) {
        double gemv = GemmProbe.matmulSeconds(1, 4096, 16384, 7, threads);
        double gemm = 2.0 * 2048 * 2048 * 2048 / GemmProbe.matmulSeconds(2048, 2048, 2048, 5, threads);
        // The 20M model's own products (the vocabulary projection, an MLP's two), weights packed at load as a
        // model's are: matrices that stay in the caches run faster than a large square one.
        for (int[] shape : new int[][] {{512, 256, 32000}, {512, 256, 1024}, {512, 1024, 256}}) {
            gemm = Math.max(
                    gemm,
                    2.0
                            * shape[0]
                            * shape[1]
                            * shape[2]
                            / GemmProbe.constantWeightsSeconds(shape[0], shape[1], shape[2], 10, threads));
        }
        return new Limits(4.0 * 4096 * 16384 / gemv, gemm);
    }

    /** The 1-minute load average (other work on the machine), or -1 where /proc/loadavg is missing. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
