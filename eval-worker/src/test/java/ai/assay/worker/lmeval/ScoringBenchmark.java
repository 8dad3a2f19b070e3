package ai.assay.worker.lmeval;

import ai.assay.core.datasets.DatasetProperties;
import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.lmeval.LmEvalCatalog;
import ai.assay.core.lmeval.SampleRecords;
import ai.assay.core.lmeval.ScoringArguments;
import ai.assay.core.lmeval.testing.TestDatasets;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.core.testing.BenchmarkReport;
import ai.assay.worker.engine.ChatMessage;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationSink;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.ModelInfo;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.ScoringSink;
import ai.assay.worker.engine.TextTokenizer;
import ai.assay.worker.engine.onnx.EngineProperties;
import ai.assay.worker.engine.onnx.HfModelTextLoader;
import ai.assay.worker.engine.onnx.OnnxModelLoader;
import ai.assay.worker.engine.ort.ElementType;
import ai.assay.worker.engine.ort.GemmProbe;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import ai.assay.worker.engine.text.TestTokenizers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * machine's GEMM rate and memory bandwidth, padding, the batch token limit, contexts scored once per choice, and the
 * logits computed but never read. Not a test: it asserts nothing and writes docs/benchmarks/scoring.md. Run with
 * {@code ./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark
 * -Dtest=ScoringBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (about 8 minutes on 2 shared cores).
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
    private record Shape(String label, TinyDecoder model, int docs, int rounds) {
    }

    private record Limits(double bandwidth, double gflops) {
    }

    /** The fastest of each mode's runs, with what the requests were. */
    private record Comparison(Shape shape, long weightBytes, Meter batched, Meter single) {
        double ratio() {
            return single.seconds / batched.seconds;
        }
    }

    @Test
    void scoringThroughput() throws IOException {
        long started = System.nanoTime();
        int threads = Runtime.getRuntime().availableProcessors();
        Path temp = Files.createTempDirectory("assay-scoring-bench");
        int realRows = (int) TestDatasets.read(ARC_EASY_TEST).lines().filter(l -> !l.isBlank()).count();
        DatasetResolver datasets = arcEasyOf(QUESTIONS, temp);
        LmEvalCatalog catalog = new LmEvalCatalog();
        int tokenizerVocab = TestTokenizers.vocabularySize(MERGES);

        Shape main = new Shape("20M", new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 256, 4, 8, 4, 1024,
                ElementType.FLOAT, 1), 320, 3);
        List<Shape> shapes = List.of(
                new Shape("tiny", new TinyDecoder(TinyDecoder.Layout.OPTIMUM, tokenizerVocab, 64, 2, 4, 2, 1024,
                        ElementType.FLOAT, 1), 120, 3),
                main,
                new Shape("56M", new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 512, 8, 8, 4, 1024,
                        ElementType.FLOAT, 1), 160, 2));

        progress("machine limits");
        Limits before = machineLimits(threads);
        EngineProperties batchedEngine = EngineProperties.defaults().withDevice("cpu").withThreads(threads)
                .withMaxBatchSize(BATCH).withSpinWait(false);
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
            TestTokenizers.writeByteLevelModelFiles(directory, TestTokenizers.Options.defaults().withMerges(MERGES));
            shape.model().writeTo(directory);
            long weightBytes = Files.size(directory.resolve("model.onnx"));
            try (LanguageModel batched = new OnnxModelLoader(batchedEngine, new HfModelTextLoader()).load(directory,
                    null);
                    LanguageModel single = new OnnxModelLoader(singleEngine, new HfModelTextLoader()).load(directory,
                            null)) {
                String options = "{\"limit\": " + shape.docs() + ", \"batchSize\": " + BATCH + "}";
                run(catalog, datasets, batched, "{\"limit\": 8}");
                run(catalog, datasets, single, "{\"limit\": 8}");
                Meter bestBatched = null;
                Meter bestSingle = null;
                for (int round = 0; round < shape.rounds(); round++) {
                    progress(shape.label() + ": round " + (round + 1) + " of " + shape.rounds());
                    double load = loadAverage();
                    minLoad = Math.min(minLoad, load);
                    maxLoad = Math.max(maxLoad, load);
                    Meter b = run(catalog, datasets, batched, options).meter;
                    Meter s = run(catalog, datasets, single, options).meter;
                    bestBatched = bestBatched == null || b.seconds < bestBatched.seconds ? b : bestBatched;
                    bestSingle = bestSingle == null || s.seconds < bestSingle.seconds ? s : bestSingle;
                }
                comparisons.add(new Comparison(shape, weightBytes, bestBatched, bestSingle));
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

        List<String> rows = new ArrayList<>();
        TinyDecoder m = main.model();
        double rate56 = comparisons.get(2).batched().requests / comparisons.get(2).batched().seconds;
        long contextChars = 0;
        for (StoredSampleScore sample : fullRun.store.samples.values()) {
            for (ScoringArguments arguments : SampleRecords.arguments(sample.record())) {
                contextChars += arguments.context().length();
            }
        }
        rows.add("Models: random-weight decoders built by the test code (`TinyDecoder`, Optimum layout, fp32), each "
                + "written with a byte-level BPE `tokenizer.json` (`TestTokenizers`, " + MERGES + " merges, "
                + tokenizerVocab + " tokens) into a model directory and loaded by `OnnxModelLoader` on the CPU, "
                + "ORT with " + threads + " threads and `spin-wait` off. The main one, **" + main.label() + "**, has "
                + m.layers() + " layers, hidden " + m.hidden() + ", " + m.heads() + " query / " + m.kvHeads()
                + " KV heads, vocabulary " + m.vocabSize() + " ("
                + String.format(Locale.ROOT, "%.1f", m.parameters() / 1e6) + "M parameters, "
                + (comparisons.get(1).weightBytes() >> 20) + " MB): "
                + String.format(Locale.ROOT, "GenerationBenchmark's 56M configuration would take about %.0f "
                + "minutes for the whole run on this machine (at its batched rate below), so it is compared on the "
                + "first %d questions only. The tokenizer has fewer merges than a production one (the models' "
                + "extra vocabulary rows are never the target of a request), so inputs are longer: %.1f characters "
                + "a context token, where a 32k-vocabulary BPE makes about 4 on English text; on average ",
                full.requests / rate56 / 60, shapes.get(2).docs(), contextChars / (double) full.contextTokens)
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
                + "the database): lm-eval rendering, `RequestEncoder`, requests sorted longest first and sent "
                + BATCH + " at a time, `LanguageModel.loglikelihood`, per-document scoring and storage, metrics. "
                + "Requests/s counts the time spent inside `loglikelihood`. Each figure is the fastest of repeated "
                + "runs, the two modes alternating: the machine is shared, and other work only ever slows a run down.");
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
        rows.add(String.format(Locale.ROOT, "fp32 GEMM %.1f GFLOP/s (ORT MatMul, 2048×2048×2048) and memory bandwidth "
                + "%.1f GB/s (ORT MatMul [1,4096]×[4096,16384], streaming 256 MB of weights), %d threads, the best "
                + "of measurements before and after the engine's runs (%.1f and %.1f GFLOP/s; %.1f and %.1f GB/s).",
                gemm / 1e9, bandwidth / 1e9, threads, before.gflops / 1e9, after.gflops / 1e9,
                before.bandwidth / 1e9, after.bandwidth / 1e9));
        rows.add("");
        rows.add("## Batched against one by one");
        rows.add("");
        rows.add("Batched: the engine's defaults (`max-batch-size` " + BATCH + ", `max-batch-tokens` "
                + maxBatchTokens + "). One by one: the same engine with `max-batch-size` 1, so every request is its "
                + "own forward pass. The questions are the first of the cycled documents (the 40 real rows, then "
                + "their numbered copies), so lengths are spread as in the whole run. Padding: the share of the "
                + "batched passes' positions that are padding. GFLOP/s counts 2 FLOP per weight of every matrix "
                + "(embedding lookups and attention left out) per real input position (ctx + cont − 1 tokens), not "
                + "the padding. "
                + "\"Roofline\" is the ratio to expect if a pass took its arithmetic at the GEMM rate plus one read "
                + "of the weights at the measured bandwidth, and nothing else: (t_flops + t_weights) / (t_flops + "
                + "t_weights / " + BATCH + "); the fixed cost of a call, left out, adds a little to the real ratio.");
        rows.add("");
        rows.add("| model | shape | params | questions | requests | padding | batched req/s | batched GFLOP/s "
                + "| one by one req/s | one by one GFLOP/s | ratio | roofline |");
        rows.add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Comparison c : comparisons) {
            TinyDecoder model = c.shape().model();
            long flopsPerPosition = flopsPerPosition(model);
            double flops = (double) c.batched().positions * flopsPerPosition;
            double tFlops = flops / c.batched().requests / gemm;
            double tWeights = c.weightBytes() / bandwidth;
            double bound = (tFlops + tWeights) / (tFlops + tWeights / BATCH);
            rows.add(String.format(Locale.ROOT, "| %s | %d layers × %d, vocab %d | %.1fM | %d | %d | %.1f%% | %.1f "
                    + "| %.1f (%.0f%%) | %.1f | %.1f (%.0f%%) | **%.2f×** | %.2f× |", c.shape().label(), model.layers(),
                    model.hidden(), model.vocabSize(), model.parameters() / 1e6, c.shape().docs(),
                    c.batched().requests, c.batched().paddingPercent(), c.batched().requests / c.batched().seconds,
                    flops / c.batched().seconds / 1e9, 100 * flops / c.batched().seconds / gemm,
                    c.single().requests / c.single().seconds, flops / c.single().seconds / 1e9,
                    100 * flops / c.single().seconds / gemm, c.ratio(), bound));
        }
        rows.add("");
        rows.add(String.format(Locale.ROOT, "The 1-minute load average at the start of each comparison round was "
                + "between %.1f and %.1f (%d cores; the count includes this benchmark's own threads).", minLoad,
                maxLoad, threads));
        rows.add("");
        Comparison mainComparison = comparisons.get(1);
        double worst = comparisons.stream().mapToDouble(Comparison::ratio).min().orElseThrow();
        rows.add("## Target");
        rows.add("");
        rows.add(String.format(Locale.ROOT, "- Requests/s at batch %d over one by one, %s model: **%.2f×** "
                + "(target ≥ 4×: %s; %.2f× to %.2f× across the three models).", BATCH, main.label(),
                mainComparison.ratio(), mainComparison.ratio() >= 4 ? "met" : "not met", worst,
                comparisons.stream().mapToDouble(Comparison::ratio).max().orElseThrow()));
        rows.add("");
        rows.add("## Whole arc_easy run");
        rows.add("");
        MetricValue acc = fullRun.store.metrics.get(0);
        rows.add(String.format(Locale.ROOT, "%d questions, %d requests, %s model, batched: **%.0f s** from the "
                + "start of `LmEvalTaskRunner.run` to the stored metrics, %.0f s of it inside `loglikelihood` "
                + "(%.1f requests/s, %.0f input positions/s, %.1f GFLOP/s, %.0f%% of the GEMM rate); the rest, "
                + "%.1f s, is loading the %d rows, rendering, tokenizing, storing and the metrics. %s = %.4f "
                + "(chance is about 0.25 for random weights).", QUESTIONS, full.requests, main.label(), fullSeconds,
                full.seconds, full.requests / full.seconds, full.positions / full.seconds,
                (double) full.positions * flopsPerPosition(m) / full.seconds / 1e9,
                100 * full.positions * (double) flopsPerPosition(m) / full.seconds / gemm,
                fullSeconds - full.seconds, QUESTIONS, acc.metric(), acc.value()));
        rows.add("");
        double comparedRate = mainComparison.batched().positions / mainComparison.batched().seconds;
        rows.add(String.format(Locale.ROOT, "One run (it takes minutes), so not the fastest of several: the 1-minute "
                + "load average was %.1f when it started and %.1f when it ended. At the positions/s of the fastest "
                + "batched comparison run above (%.0f), its scoring would have taken %.0f s.", fullLoad[0],
                fullLoad[1], comparedRate, full.positions / comparedRate));
        rows.add("");
        rows.add("## Why batching gains so little here");
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Measured on the whole run's %d requests (%d engine calls of up to %d):",
                full.requests, full.calls, BATCH));
        rows.add("");
        rows.add(String.format(Locale.ROOT, "- **Batch 1 is already compute-bound.** One request is a pass over "
                + "%.0f positions on average: each weight matrix meets a [%.0f × hidden] block, enough rows for "
                + "ORT's GEMM kernels to run near their peak, so one by one reaches the GFLOP/s in the table and "
                + "batching has nothing left to amortise but one read of the weights (%d MB, %.1f ms at the "
                + "measured bandwidth, against %.1f ms of arithmetic) and the call's fixed cost (the roofline "
                + "column). The CPU's ratio of FLOP/s to bandwidth (%.1f FLOP/byte) is far below the %.0f FLOP per "
                + "byte of weights such a pass does.", full.positions / (double) full.requests,
                full.positions / (double) full.requests, mainComparison.weightBytes() >> 20,
                1000 * mainComparison.weightBytes() / bandwidth,
                1000 * (full.positions / (double) full.requests) * flopsPerPosition(m) / gemm, gemm / bandwidth,
                2 * full.positions / (double) full.requests / 4));
        rows.add(String.format(Locale.ROOT, "- **Padding** is small: rows are sorted longest first, so a batch's "
                + "rows differ little in length; padded positions are %.1f%% of the batched passes' positions (more "
                + "in the comparisons, whose fewer requests are spread wider in length: the padding column).",
                full.paddingPercent()));
        rows.add(String.format(Locale.ROOT, "- **The batch token limit** never splits a batch: the widest call "
                + "needs %d × %d = %d positions, under `max-batch-tokens` %d.", BATCH, full.widest,
                BATCH * full.widest, maxBatchTokens));
        rows.add(String.format(Locale.ROOT, "- **Choices share a context**, and each request scores it again: "
                + "%.0f%% of all positions are a context already scored for another choice of the same question, "
                + "in both modes. Batching does not change this: the runner sorts requests by length, lm-eval's "
                + "order, so a question's choices rarely share a call (%.0f%% of requests had a sibling choice "
                + "earlier in their call).", 100.0 * full.repeatedContextPositions / full.positions,
                100.0 * full.siblingsInCall / full.requests));
        long lmHead = 2L * m.vocabSize() * m.hidden();
        rows.add(String.format(Locale.ROOT, "- **Logits nobody reads**: the vocabulary projection is %.0f%% of the "
                + "%s model's FLOPs per position, and the graph computes it at every position, while only the "
                + "continuation positions (%.0f%% of them) are scored.", 100.0 * lmHead / flopsPerPosition(m),
                main.label(), 100.0 * full.continuationTokens / full.positions));
        Comparison tiny = comparisons.get(0);
        rows.add(String.format(Locale.ROOT, "- **The tiny model** has almost no arithmetic (%.0f%% of the GEMM rate "
                + "one by one), so the fixed cost of a call is a larger share of a pass and batching gains more "
                + "(%.2f×), but its time still goes mostly to work that grows with the positions as the requests "
                + "do (layer norms, attention masks and softmax over [batch, heads, length, length], small "
                + "matrix products that run far from the GEMM rate).",
                100 * (double) tiny.single().positions * flopsPerPosition(tiny.shape().model())
                        / tiny.single().seconds / gemm, tiny.ratio()));
        if (worst < 1) {
            long logitsBytes = 4L * BATCH * Math.round(full.positions / (double) full.requests) * m.vocabSize();
            rows.add(String.format(Locale.ROOT, "- **Below 1×** (batched slower than one by one): besides the "
                    + "padding, the likely cause, not isolated here, is the other load: a batch's activations and its [%d, length, vocabulary] "
                    + "logits (%d MB for the %s model) do not fit in the caches that other processes compete for, "
                    + "while one request's mostly do.", BATCH, logitsBytes >> 20, main.label()));
        }
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Total time: %.0f s.", (System.nanoTime() - started) / 1e9));
        rows.add("");
        rows.add(NOTES);
        BenchmarkReport.write("scoring.md", "Log-likelihood scoring throughput", rows);
        deleteTree(temp);
    }

    private static final String NOTES = """
            ## Reading the numbers

            - The 4× target assumes that one request a pass leaves the hardware mostly idle, bound by reading the
              weights and by the fixed cost of a call, which a batch of 32 pays once for all. That is how a GPU
              behaves (its FLOP/s per byte of bandwidth is far higher; not measured here). On a CPU the same pass
              already keeps the cores busy with arithmetic, so requests/s is about the GEMM rate divided by the
              FLOPs per request, whatever the batch: batching cannot reach 4× here.
            - What would make CPU scoring faster is less arithmetic, not bigger batches: scoring a question's
              context once and its choices from the KV cache (the engine's generation path already keeps one)
              would skip the repeated contexts counted above, and projecting onto the vocabulary only at the
              continuation positions would skip the unread logits (that needs an export that stops before the
              projection, as onnxruntime-genai's builder can write, and the projection as a graph of its own).
              Neither is done: the first changes the order in which requests are scored and, by rounding, the
              scores themselves; the second needs another export.
            - On this machine other jobs share the two cores, so absolute numbers move between runs; the ratios
              come from alternating runs of the two modes, the fastest of each.
            """;

    /** 2 FLOP per weight of every matrix a position goes through (embedding and position lookups excluded). */
    private static long flopsPerPosition(TinyDecoder model) {
        return 2 * (model.parameters() - (long) model.vocabSize() * model.hidden()
                - (long) model.maxPositions() * model.hidden());
    }

    /** What one task run sent to the engine, and its context (store, metrics). */
    private record Run(Meter meter, InMemoryTaskContext context) {
    }

    private static Run run(LmEvalCatalog catalog, DatasetResolver datasets, LanguageModel model, String options) {
        Meter meter = new Meter(model);
        InMemoryTaskContext context = new InMemoryTaskContext("arc_easy", options, meter,
                new InMemoryTaskContext.Store());
        new LmEvalTaskRunner("arc_easy", catalog, datasets).run(context);
        return new Run(meter, context);
    }

    /**
     * An {@code assay.datasets.dir} with the shipped fixtures, except that ARC-Easy's test split holds
     * {@code questions} rows cycled from the real ones, each copy after the first numbered in its question.
     */
    private static DatasetResolver arcEasyOf(int questions, Path temp) throws IOException {
        Path dir = TestDatasets.writeTo(temp.resolve("datasets"));
        List<String> real = TestDatasets.read(ARC_EASY_TEST).lines().filter(l -> !l.isBlank()).toList();
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
        return new DatasetResolver(new DatasetProperties(dir, null, URI.create("http://127.0.0.1:9"), null, true,
                Duration.ofSeconds(1), Duration.ofSeconds(1)), temp.resolve("cache"));
    }

    /**
     * The engine as the runner sees it, timing {@code loglikelihood} and counting what it was asked: requests,
     * input positions (ctx + cont − 1, what a pass computes), positions with the padding of a pass of each call's
     * requests, and contexts scored again for another choice of the same document.
     */
    private static final class Meter implements LanguageModel {
        private final LanguageModel model;
        private final Map<String, Integer> contextsSeen = new HashMap<>();
        double seconds;
        int calls;
        int requests;
        long positions;
        long paddedPositions;
        long contextTokens;
        long continuationTokens;
        long repeatedContextPositions;
        /** Requests whose document already had a choice in the same call. */
        int siblingsInCall;
        int widest;

        Meter(LanguageModel model) {
            this.model = model;
        }

        /** Padded positions as a share of all positions the batched passes compute. */
        double paddingPercent() {
            return 100.0 * (paddedPositions - positions) / paddedPositions;
        }

        @Override
        public void loglikelihood(List<ScoringRequest> batch, ScoringSink sink) {
            int width = 0;
            Set<String> docsInCall = new HashSet<>();
            for (ScoringRequest r : batch) {
                int input = r.contextTokens().length + r.continuationTokens().length - 1;
                width = Math.max(width, input);
                positions += input;
                contextTokens += r.contextTokens().length;
                continuationTokens += r.continuationTokens().length;
                String doc = r.id().substring(0, r.id().indexOf(':'));
                if (contextsSeen.merge(doc, 1, Integer::sum) > 1) {
                    repeatedContextPositions += r.contextTokens().length;
                }
                if (!docsInCall.add(doc)) {
                    siblingsInCall++;
                }
            }
            widest = Math.max(widest, width);
            paddedPositions += (long) width * batch.size();
            calls++;
            requests += batch.size();
            long t0 = System.nanoTime();
            model.loglikelihood(batch, sink);
            seconds += (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public ModelInfo info() {
            return model.info();
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
        double gemm = GemmProbe.matmulSeconds(2048, 2048, 2048, 5, threads);
        return new Limits(4.0 * 4096 * 16384 / gemv, 2.0 * 2048 * 2048 * 2048 / gemm);
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
