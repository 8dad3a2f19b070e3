package ai.assay.worker.engine.bench;

import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.decoding.EngineProperties;
import ai.assay.worker.engine.decoding.OnnxModelLoader;
import ai.assay.worker.engine.prompt.ModelText;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ElementType;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.GemmProbe;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.CharTokenizer;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the engine on this machine for a ~56M-parameter random decoder (Optimum layout, fp32): prefill
 * and decode tokens/s against batch size and prompt length, cached decoding against a naive loop that re-runs the
 * whole sequence every step, scoring throughput, peak memory, and the machine's memory bandwidth and GEMM rate with
 * the fraction of each the engine reaches. Not a test: it asserts nothing and writes
 * docs/benchmarks/generation.md. Run with {@code ./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none
 * -Dgroups=benchmark -Dtest=GenerationBenchmark -Dsurefire.failIfNoSpecifiedTests=false} (about 6 minutes on 2
 * cores).
 */
@Tag("benchmark")
class GenerationBenchmark {

    private static final int VOCAB = 32000;
    private static final int NEW_TOKENS = 64;
    private static final int NAIVE_PROMPT = 16;
    private static final int NAIVE_TOKENS = 256;

    @Test
    void generationThroughput() throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        TinyDecoder model =
                new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 512, 8, 8, 4, 1024, ElementType.FLOAT, 1);
        Path directory = Files.createTempDirectory("assay-bench");
        long started = System.nanoTime();
        model.writeTo(directory);
        long weightBytes = Files.size(directory.resolve("model.onnx"));
        progress("machine limits");
        Limits before = machineLimits(threads);
        System.gc();
        long baselineKb = rssKb("VmRSS:");
        RssSampler sampler = new RssSampler();
        sampler.start();

        // No spin-waiting: on a shared machine spinning threads turn every step into a wait for descheduled ones.
        EngineProperties properties = EngineProperties.defaults()
                .withDevice("cpu")
                .withThreads(threads)
                .withMaxBatchSize(32)
                .withSpinWait(false);
        ModelText text = new ModelText(new CharTokenizer(Set.of()), (m, g) -> "", List.of(), null, false, null, null);
        // Per generated token: 2 FLOP per weight of every matrix the token goes through (embeddings are lookups).
        long flopsPerToken = 2 * (model.parameters() - (long) VOCAB * model.hidden() - 1024L * model.hidden());
        List<String> rows = new ArrayList<>();
        double[][] decodeRate = new double[2][3];
        double[][] prefillRate = new double[2][3];
        double[][] stepMillis = new double[2][3];
        int[] prompts = {32, 128};
        int[] batches = {1, 8, 32};
        double cached;
        double naive;
        boolean sameTokens;
        double scoringSeconds;
        double[][] endToEnd = new double[2][3];
        Limits middle;
        try (LanguageModel lm = new OnnxModelLoader(properties, (d, o) -> text).load(directory, null);
                DecoderRunner runner = DecoderRunner.open(
                        directory.resolve("model.onnx"),
                        RunnerOptions.on(ExecutionDevice.CPU, threads).withSpinWait(false))) {
            generate(lm, 1, 16, 8); // warm-up
            for (int p = 0; p < prompts.length; p++) {
                for (int b = 0; b < batches.length; b++) {
                    int prompt = prompts[p];
                    int batch = batches[b];
                    progress("batch " + batch + ", prompt " + prompt);
                    double[] prefill = new double[3];
                    double[] step = new double[3];
                    for (int run = 0; run < 3; run++) {
                        double[] timing = decodeLoop(runner, batch, prompt, NEW_TOKENS);
                        prefill[run] = timing[0];
                        step[run] = timing[1];
                    }
                    prefillRate[p][b] =
                            batch * prompt / Arrays.stream(prefill).min().orElseThrow();
                    stepMillis[p][b] = 1000 * Arrays.stream(step).min().orElseThrow();
                    decodeRate[p][b] = batch * 1000 / stepMillis[p][b];
                    endToEnd[p][b] =
                            batch * (prompt + NEW_TOKENS) / best(2, () -> generate(lm, batch, prompt, NEW_TOKENS));
                }
            }
            progress("machine limits, middle");
            middle = machineLimits(threads);
            progress("cached vs naive");
            cached = best(2, () -> generate(lm, 1, NAIVE_PROMPT, NAIVE_TOKENS));
            long t0 = System.nanoTime();
            int[] naiveTokens = naiveLoop(runner, prompt(0, NAIVE_PROMPT), NAIVE_TOKENS);
            naive = (System.nanoTime() - t0) / 1e9;
            cached = Math.min(cached, best(1, () -> generate(lm, 1, NAIVE_PROMPT, NAIVE_TOKENS)));
            GenerationResult check = generateOne(lm, prompt(0, NAIVE_PROMPT), NAIVE_TOKENS);
            sameTokens = Arrays.equals(new CharTokenizer(Set.of()).encode(check.text(), false), naiveTokens);
            progress("scoring");
            List<ScoringRequest> scoring = new ArrayList<>();
            Random random = new Random(5);
            for (int i = 0; i < 256; i++) {
                scoring.add(new ScoringRequest(
                        "s" + i,
                        random.ints(96, 3, VOCAB).toArray(),
                        random.ints(8, 3, VOCAB).toArray()));
            }
            lm.loglikelihood(scoring.subList(0, 16), result -> {});
            scoringSeconds = best(2, () -> lm.loglikelihood(scoring, result -> {}));
        }
        sampler.interrupt();
        progress("machine limits again");
        Limits after = machineLimits(threads);
        double bandwidth = Math.max(middle.bandwidth, Math.max(before.bandwidth, after.bandwidth));
        double gflops = Math.max(middle.gflops, Math.max(before.gflops, after.gflops));

        rows.add("Model: a random-weight decoder built by the test code (`TinyDecoder`, Optimum layout, "
                + model.layers() + " layers, hidden " + model.hidden() + ", " + model.heads() + " query / "
                + model.kvHeads() + " KV heads, vocabulary " + VOCAB + ", "
                + String.format(Locale.ROOT, "%.1f", model.parameters() / 1e6) + "M parameters, fp32, "
                + (weightBytes >> 20) + " MB), greedy decoding, ORT with " + threads
                + " threads and `spin-wait` off. Each figure is the "
                + "fastest of repeated runs: the machine is shared, and other work only ever slows a "
                + "run down.");
        rows.add("");
        rows.add("Run it with:");
        rows.add("");
        rows.add("```bash");
        rows.add("./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark \\");
        rows.add("  -Dtest=GenerationBenchmark -Dsurefire.failIfNoSpecifiedTests=false");
        rows.add("```");
        rows.add("");
        rows.add("## Machine limits");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Memory bandwidth %.1f GB/s (ORT MatMul [1,4096]×[4096,16384], streaming "
                        + "256 MB of weights as a batch-1 decoding step does, %d threads) and fp32 GEMM %.1f GFLOP/s (ORT "
                        + "MatMul, 2048×2048×2048), the best of measurements before, between and after the engine's runs "
                        + "(%.1f, %.1f and %.1f GB/s; %.1f, %.1f and %.1f GFLOP/s). The fractions below are of these; above "
                        + "100%% means every probe run was slowed by other load more than the engine's run was.",
                bandwidth / 1e9,
                threads,
                gflops / 1e9,
                before.bandwidth / 1e9,
                middle.bandwidth / 1e9,
                after.bandwidth / 1e9,
                before.gflops / 1e9,
                middle.gflops / 1e9,
                after.gflops / 1e9));
        rows.add("");
        rows.add("## Prefill and decode");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Prefill: one pass over the prompts from an empty cache (their logits "
                        + "included), the fastest of three. Decode: %d steps of one token per row with the KV cache bound "
                        + "in place (the engine's `DecoderRunner`, greedy choice on the host as the generator makes it); "
                        + "ms/step is the median step of a run (robust to bursts of other load), the fastest of three runs. "
                        + "\"Weights GB/s\" counts the %d MB of weights read once per step, \"GFLOP/s\" %.0f MFLOP per "
                        + "generated token. End to end: prompt and generated tokens per second through "
                        + "`LanguageModel.generate` (prefill, %d new tokens per row, sampling, stop checks).",
                NEW_TOKENS - 1,
                weightBytes >> 20,
                flopsPerToken / 1e6,
                NEW_TOKENS));
        rows.add("");
        rows.add("| batch | prompt | prefill tok/s | prefill GFLOP/s | decode tok/s | ms/step | weights GB/s "
                + "| decode GFLOP/s | end to end tok/s |");
        rows.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int p = 0; p < prompts.length; p++) {
            for (int b = 0; b < batches.length; b++) {
                double stepsPerSecond = 1000 / stepMillis[p][b];
                rows.add(String.format(
                        Locale.ROOT,
                        "| %d | %d | %.0f | %.1f (%.0f%%) | %.0f | %.1f | %.1f (%.0f%%) " + "| %.1f (%.0f%%) | %.0f |",
                        batches[b],
                        prompts[p],
                        prefillRate[p][b],
                        prefillRate[p][b] * flopsPerToken / 1e9,
                        100 * prefillRate[p][b] * flopsPerToken / gflops,
                        decodeRate[p][b],
                        stepMillis[p][b],
                        weightBytes * stepsPerSecond / 1e9,
                        100 * weightBytes * stepsPerSecond / bandwidth,
                        decodeRate[p][b] * flopsPerToken / 1e9,
                        100 * decodeRate[p][b] * flopsPerToken / gflops,
                        endToEnd[p][b]));
            }
        }
        rows.add("");
        double scaling32 = decodeRate[0][2] / decodeRate[0][0];
        double scaling128 = decodeRate[1][2] / decodeRate[1][0];
        rows.add("## Targets");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "- Decode tokens/s at batch 32 over batch 1: **%.1f×** with 32-token "
                        + "prompts, **%.1f×** with 128-token prompts (target ≥ 6×: %s).",
                scaling32,
                scaling128,
                Math.min(scaling32, scaling128) >= 6 ? "met" : "not met"));
        rows.add(String.format(
                Locale.ROOT,
                "- Cached decoding against a naive loop that re-runs the whole sequence "
                        + "every step (batch 1, %d-token prompt, %d new tokens): %.2f s against %.2f s, **%.1f×** (target "
                        + "≥ 5×: %s); the two produced %s tokens.",
                NAIVE_PROMPT,
                NAIVE_TOKENS,
                cached,
                naive,
                naive / cached,
                naive / cached >= 5 ? "met" : "not met",
                sameTokens ? "the same" : "DIFFERENT"));
        rows.add("");
        rows.add("## Scoring and memory");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "- Scoring (`loglikelihood`), 256 requests of 96 context + 8 "
                        + "continuation tokens: %.1f requests/s, %.0f tokens/s.",
                256 / scoringSeconds,
                256 * 104 / scoringSeconds));
        rows.add(String.format(
                Locale.ROOT,
                "- Peak resident memory while the engine ran: %d MB above the %d MB "
                        + "the JVM held before loading the model, with two sessions of the model open (the engine's, and the "
                        + "runner used for per-step timings and the naive loop): weights %d MB each, KV cache at most %d MB "
                        + "(batch 32 × 192 positions), prefill logits at most %d MB (batch 32 × 128 × vocabulary), the rest "
                        + "ORT's arenas and the Java heap.",
                (sampler.peakKb - baselineKb) / 1024,
                baselineKb / 1024,
                weightBytes >> 20,
                (32L * 192 * 2 * model.layers() * model.kvHeads() * model.headSize() * 4) >> 20,
                (32L * 128 * VOCAB * 4) >> 20));
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Total time: %.0f s.", (System.nanoTime() - started) / 1e9));
        rows.add("");
        rows.add(NOTES);
        BenchmarkReport.write("generation.md", "Generation throughput", rows);
    }

    private static final String NOTES = """
            ## Reading the numbers

            - Decode at batch 1 is bound by memory bandwidth: every step reads all the weights once (the weights
              GB/s column), and the KV cache adds little at these lengths. Larger batches read the same weights for
              more rows, so tokens/s grows with the batch until the matrix products become compute-bound (the
              GFLOP/s column approaching the GEMM rate). Each step also re-concatenates past and present in an
              Optimum graph, which costs more as the cache grows (prompt 128 against 32).
            - Prefill is compute-bound; its tokens/s include the logits of every prompt position (the vocabulary
              projection is 40% of this model's FLOPs), which the graph computes whether or not they are needed.
            - The naive loop does a full forward pass over the whole sequence for every new token: its cost grows
              with the square of the length, cached decoding's linearly.
            - On this machine other jobs share the two cores, so absolute numbers move between runs by a factor of
              two or more (the batch-32 step time has varied by more than 2× between runs); the ratios are measured
              in one run, from the fastest of repeated measurements. With other load, ORT's spinning threads make
              things much worse, hence `spin-wait` off here.
            - A GPU changes the balance (see [models.md](../models.md)): weights stream at TB/s, so decoding stays
              memory-bound to larger batches and the per-step host work (mask, sampling, one logits row per
              sequence) becomes the part to watch.
            """;

    /**
     * Prefill then {@code newTokens - 1} decoding steps of a batch through the runner, greedy on the host.
     *
     * @return {prefill seconds, median step seconds}
     */
    private static double[] decodeLoop(DecoderRunner runner, int batch, int promptLength, int newTokens) {
        long[] ids = new long[batch * promptLength];
        long[] mask = new long[batch * promptLength];
        long[] positions = new long[batch * promptLength];
        int[] last = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] tokens = prompt(b, promptLength);
            for (int i = 0; i < promptLength; i++) {
                ids[b * promptLength + i] = tokens[i];
                mask[b * promptLength + i] = 1;
                positions[b * promptLength + i] = i;
            }
            last[b] = b * promptLength + promptLength - 1;
        }
        long t0 = System.nanoTime();
        DecodeStep step =
                runner.step(new DecoderBatch(batch, promptLength, ids, promptLength, mask, positions), null, last);
        double prefill = (System.nanoTime() - t0) / 1e9;
        int[] rows = IntStream.range(0, batch).toArray();
        double[] steps = new double[newTokens - 1];
        int width = promptLength;
        for (int n = 0; n < steps.length; n++) {
            long[] next = new long[batch];
            for (int b = 0; b < batch; b++) {
                next[b] = argmax(step.logits(), b * step.vocabSize(), step.vocabSize());
            }
            long[] stepMask = new long[batch * (width + 1)];
            Arrays.fill(stepMask, 1);
            long[] stepPositions = new long[batch];
            Arrays.fill(stepPositions, width);
            long t1 = System.nanoTime();
            step = runner.step(
                    new DecoderBatch(batch, 1, next, width + 1, stepMask, stepPositions), step.cache(), rows);
            steps[n] = (System.nanoTime() - t1) / 1e9;
            width++;
        }
        step.cache().close();
        Arrays.sort(steps);
        return new double[] {prefill, steps[steps.length / 2]};
    }

    private static int[] naiveLoop(DecoderRunner runner, int[] prompt, int newTokens) {
        int[] sequence = Arrays.copyOf(prompt, prompt.length + newTokens);
        for (int n = prompt.length; n < sequence.length; n++) {
            long[] ids = new long[n];
            long[] mask = new long[n];
            long[] positions = new long[n];
            for (int i = 0; i < n; i++) {
                ids[i] = sequence[i];
                mask[i] = 1;
                positions[i] = i;
            }
            DecodeStep step = runner.step(new DecoderBatch(1, n, ids, n, mask, positions), null, new int[] {n - 1});
            step.cache().close();
            sequence[n] = argmax(step.logits(), 0, step.vocabSize());
        }
        return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[offset + i] > values[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private static void generate(LanguageModel lm, int batch, int promptLength, int newTokens) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            requests.add(new GenerationRequest(
                    "b" + b, prompt(b, promptLength), SamplingParams.greedy(newTokens, List.of())));
        }
        AtomicInteger done = new AtomicInteger();
        lm.generate(requests, result -> done.incrementAndGet());
        if (done.get() != batch) {
            throw new IllegalStateException("generation did not finish");
        }
    }

    private static GenerationResult generateOne(LanguageModel lm, int[] prompt, int newTokens) {
        GenerationResult[] result = new GenerationResult[1];
        lm.generate(
                List.of(new GenerationRequest("one", prompt, SamplingParams.greedy(newTokens, List.of()))),
                r -> result[0] = r);
        return result[0];
    }

    private static int[] prompt(int seed, int length) {
        return new Random(seed).ints(length, 3, VOCAB).toArray();
    }

    /** The fastest of {@code runs} timings: other load on a shared machine only ever slows a run down. */
    private static double best(int runs, Runnable task) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            task.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static void progress(String what) {
        System.err.println("[bench] " + what);
    }

    private record Limits(double bandwidth, double gflops) {}

    /**
     * Memory bandwidth as ORT's kernels reach it (a [1,4096]×[4096,16384] MatMul streams 256 MB of weights, as a
     * decoding step at batch 1 does) and the attainable fp32 GEMM rate (2048×2048×2048).
     */
    private static Limits machineLimits(int threads) {
        double gemv = GemmProbe.matmulSeconds(1, 4096, 16384, 7, threads);
        double gemm = GemmProbe.matmulSeconds(2048, 2048, 2048, 5, threads);
        return new Limits(4.0 * 4096 * 16384 / gemv, 2.0 * 2048 * 2048 * 2048 / gemm);
    }

    /** Samples the resident set size every 20 ms and keeps the largest. */
    private static final class RssSampler extends Thread {
        volatile long peakKb;

        RssSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peakKb = Math.max(peakKb, rssKb("VmRSS:"));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static long rssKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }
}
