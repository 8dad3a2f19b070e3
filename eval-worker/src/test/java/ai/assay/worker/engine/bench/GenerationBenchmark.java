package ai.assay.worker.engine.bench;

import ai.assay.worker.engine.GenerationRequest;
import ai.assay.worker.engine.GenerationResult;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.engine.SamplingParams;
import ai.assay.worker.engine.ScoringRequest;
import ai.assay.worker.engine.graph.GraphBuilder;
import ai.assay.worker.engine.onnx.EngineProperties;
import ai.assay.worker.engine.onnx.ModelText;
import ai.assay.worker.engine.onnx.OnnxModelLoader;
import ai.assay.worker.engine.ort.DecodeStep;
import ai.assay.worker.engine.ort.DecoderBatch;
import ai.assay.worker.engine.ort.DecoderRunner;
import ai.assay.worker.engine.ort.ElementType;
import ai.assay.worker.engine.ort.ExecutionDevice;
import ai.assay.worker.engine.ort.GemmProbe;
import ai.assay.worker.engine.ort.RunnerOptions;
import ai.assay.worker.engine.testmodels.CharTokenizer;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Throughput of the engine on this machine for a ~56M-parameter random decoder (Optimum layout, fp32): prefill
 * and decode tokens/s against batch size and prompt length, cached decoding against a naive loop that re-runs the
 * whole sequence every step, scoring throughput, peak memory, and the machine's memory bandwidth and GEMM rate with
 * the fraction of each the engine reaches. Prints a Markdown report. Not a test: run it by hand (see
 * docs/benchmarks/generation.md).
 */
public final class GenerationBenchmark {

    private static final int VOCAB = 32000;
    private static final int NEW_TOKENS = 64;
    private static final int NAIVE_PROMPT = 16;
    private static final int NAIVE_TOKENS = 256;

    public static void main(String[] args) throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        TinyDecoder model = new TinyDecoder(TinyDecoder.Layout.OPTIMUM, VOCAB, 512, 8, 8, 4, 1024, ElementType.FLOAT, 1);
        Path directory = Files.createTempDirectory("assay-bench");
        long started = System.nanoTime();
        model.writeTo(directory);
        long weightBytes = Files.size(directory.resolve("model.onnx"));
        StringBuilder out = new StringBuilder();
        out.append("Run ").append(LocalDate.now()).append(" on ").append(cpuName()).append(", ").append(threads)
                .append(" cores, ").append(Runtime.version()).append(". Model: Optimum layout, ")
                .append(model.layers()).append(" layers, hidden ").append(model.hidden()).append(", ")
                .append(model.heads()).append("/").append(model.kvHeads()).append(" heads, vocabulary ").append(VOCAB)
                .append(", ").append(String.format(Locale.ROOT, "%.1f", model.parameters() / 1e6))
                .append("M parameters, fp32 (").append(weightBytes >> 20).append(" MB).\n\n");

        progress("machine limits");
        Limits limits = machineLimits(threads);
        System.gc();
        long baselineKb = rssKb("VmRSS:");
        RssSampler sampler = new RssSampler();
        sampler.start();
        out.append(String.format(Locale.ROOT, "Machine limits, measured: memory bandwidth %.1f GB/s (triad over 768 MB, "
                + "%d threads); fp32 GEMM %.1f GFLOP/s (ORT MatMul 1024×1024×1024).%n%n", limits.bandwidth / 1e9,
                threads, limits.gflops / 1e9));

        EngineProperties properties = EngineProperties.defaults().withDevice("cpu").withThreads(threads)
                .withMaxBatchSize(32);
        ModelText text = new ModelText(new CharTokenizer(Set.of()), (m, g) -> "", List.of(), null, false, null, null);
        long flopsPerToken = 2 * (model.parameters() - (long) VOCAB * model.hidden() - 1024L * model.hidden());
        try (LanguageModel lm = new OnnxModelLoader(properties, (d, o) -> text).load(directory, null)) {
            generate(lm, 1, 16, 8); // warm-up
            out.append("| batch | prompt | prefill tok/s | decode tok/s | decode ms/step | decode GB/s (weights) "
                    + "| decode GFLOP/s |\n|---|---|---|---|---|---|---|\n");
            double decodeB1 = 0;
            double decodeB32 = 0;
            double prefillB32 = 0;
            for (int prompt : new int[] {32, 128}) {
                for (int batch : new int[] {1, 8, 32}) {
                    progress("batch " + batch + ", prompt " + prompt);
                    double prefillSeconds = best(3, () -> generate(lm, batch, prompt, 1));
                    double totalSeconds = best(3, () -> generate(lm, batch, prompt, NEW_TOKENS));
                    double decodeSeconds = totalSeconds - prefillSeconds;
                    double prefillRate = batch * prompt / prefillSeconds;
                    double decodeRate = batch * (NEW_TOKENS - 1) / decodeSeconds;
                    double stepsPerSecond = (NEW_TOKENS - 1) / decodeSeconds;
                    if (prompt == 128 && batch == 1) {
                        decodeB1 = decodeRate;
                    }
                    if (prompt == 128 && batch == 32) {
                        decodeB32 = decodeRate;
                        prefillB32 = prefillRate;
                    }
                    out.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.1f | %.1f (%.0f%%) | %.1f (%.0f%%) |%n",
                            batch, prompt, prefillRate, decodeRate, 1000 / stepsPerSecond,
                            weightBytes * stepsPerSecond / 1e9, 100 * weightBytes * stepsPerSecond / limits.bandwidth,
                            decodeRate * flopsPerToken / 1e9, 100 * decodeRate * flopsPerToken / limits.gflops));
                }
            }
            out.append(String.format(Locale.ROOT, "%nPrefill at batch 32 × 128 tokens: %.1f GFLOP/s, %.0f%% of the "
                    + "GEMM rate.%n", prefillB32 * flopsPerToken / 1e9, 100 * prefillB32 * flopsPerToken / limits.gflops));
            out.append(String.format(Locale.ROOT, "%n**Decode at batch 32 / batch 1 (prompt 128): %.1f×** (target ≥ 6×).%n",
                    decodeB32 / decodeB1));

            progress("cached vs naive");
            double cached = best(2, () -> generate(lm, 1, NAIVE_PROMPT, NAIVE_TOKENS));
            double naive;
            int[] cachedTokens;
            try (DecoderRunner runner = DecoderRunner.open(directory.resolve("model.onnx"),
                    RunnerOptions.on(ExecutionDevice.CPU, threads))) {
                long t0 = System.nanoTime();
                cachedTokens = naiveLoop(runner, prompt(0, NAIVE_PROMPT), NAIVE_TOKENS);
                naive = (System.nanoTime() - t0) / 1e9;
            }
            GenerationResult check = generateOne(lm, prompt(0, NAIVE_PROMPT), NAIVE_TOKENS);
            boolean same = Arrays.equals(new CharTokenizer(Set.of()).encode(check.text(), false), cachedTokens);
            out.append(String.format(Locale.ROOT, "%n**Cached decoding vs the naive loop (batch 1, prompt %d, %d new "
                    + "tokens): %.2f s vs %.2f s, %.1f×** (target ≥ 5×); same tokens: %s.%n", NAIVE_PROMPT,
                    NAIVE_TOKENS, cached, naive, naive / cached, same ? "yes" : "NO"));

            List<ScoringRequest> scoring = new ArrayList<>();
            Random random = new Random(5);
            for (int i = 0; i < 256; i++) {
                scoring.add(new ScoringRequest("s" + i, random.ints(96, 3, VOCAB).toArray(),
                        random.ints(8, 3, VOCAB).toArray()));
            }
            progress("scoring");
            lm.loglikelihood(scoring.subList(0, 16), result -> { });
            double scoringSeconds = best(2, () -> {
                AtomicInteger count = new AtomicInteger();
                lm.loglikelihood(scoring, result -> count.incrementAndGet());
            });
            out.append(String.format(Locale.ROOT, "%nScoring (256 requests, context 96 + continuation 8 tokens): "
                    + "%.1f requests/s, %.0f tokens/s.%n", 256 / scoringSeconds, 256 * 104 / scoringSeconds));
        }
        sampler.interrupt();
        Limits after = machineLimits(threads);
        out.append(String.format(Locale.ROOT, "%nMachine limits measured again at the end: %.1f GB/s, %.1f GFLOP/s.%n",
                after.bandwidth / 1e9, after.gflops / 1e9));
        out.append(String.format(Locale.ROOT, "%nPeak resident memory while the engine ran: %d MB above the %d MB the "
                + "JVM held before loading (weights %d MB, the largest KV cache %d MB at batch 32 × 192 tokens, "
                + "prefill logits up to %d MB; the rest is ORT's arena and the Java heap).%n",
                (sampler.peakKb - baselineKb) / 1024, baselineKb / 1024, weightBytes >> 20,
                (32L * 192 * 2 * model.layers() * model.kvHeads() * model.headSize() * 4) >> 20,
                (32L * 128 * VOCAB * 4) >> 20));
        out.append(String.format(Locale.ROOT, "%nTotal benchmark time: %.0f s.%n", (System.nanoTime() - started) / 1e9));
        System.out.println(out);
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
            sequence[n] = argmax(step.logits());
        }
        return Arrays.copyOfRange(sequence, prompt.length, sequence.length);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void generate(LanguageModel lm, int batch, int promptLength, int newTokens) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            requests.add(new GenerationRequest("b" + b, prompt(b, promptLength),
                    SamplingParams.greedy(newTokens, List.of())));
        }
        AtomicInteger done = new AtomicInteger();
        lm.generate(requests, result -> done.incrementAndGet());
        if (done.get() != batch) {
            throw new IllegalStateException("generation did not finish");
        }
    }

    private static GenerationResult generateOne(LanguageModel lm, int[] prompt, int newTokens) {
        GenerationResult[] result = new GenerationResult[1];
        lm.generate(List.of(new GenerationRequest("one", prompt, SamplingParams.greedy(newTokens, List.of()))),
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

    private record Limits(double bandwidth, double gflops) {
    }

    /** A STREAM-style triad in Java for bandwidth; a large ORT MatMul for the attainable fp32 compute rate. */
    private static Limits machineLimits(int threads) {
        int n = 64 << 20;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        Arrays.fill(b, 1);
        Arrays.fill(c, 2);
        double best = 0;
        for (int repeat = 0; repeat < 5; repeat++) {
            long t0 = System.nanoTime();
            IntStream.range(0, threads).parallel().forEach(t -> {
                int from = (int) ((long) n * t / threads);
                int to = (int) ((long) n * (t + 1) / threads);
                for (int i = from; i < to; i++) {
                    a[i] = b[i] + 3 * c[i];
                }
            });
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 3.0 * 4 * n / seconds);
        }
        GraphBuilder g = new GraphBuilder("gemm");
        int size = 1024;
        String x = g.input("x", ElementType.FLOAT.code(), (long) size, (long) size);
        float[] weights = new float[size * size];
        Arrays.fill(weights, 0.001f);
        String w = g.floats("w", new long[] {size, size}, weights);
        String y = x;
        for (int i = 0; i < 4; i++) {
            y = g.op("MatMul", y, w);
        }
        g.output("y", y, ElementType.FLOAT.code(), (long) size, (long) size);
        double gflops = GemmProbe.rate(g.toBytes(), size, 4, threads);
        return new Limits(best, gflops);
    }

    private static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
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
