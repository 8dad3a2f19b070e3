package ai.assay.worker.engine.bench;

import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.engine.builder.BuiltModelCache;
import ai.assay.worker.engine.builder.CheckpointBuilds;
import ai.assay.worker.engine.builder.GraphVariant;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.KvCache;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.RandomCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The checkpoint builder on this machine: build time, weights GB/s and peak memory for a random checkpoint of Llama
 * 3.2 1B's shape in bf16, into the CPU graph (float32) and the CUDA graph (fp16); and decode tokens/s of the two
 * graphs the builder writes (the plain Optimum-layout graph and the fused GroupQueryAttention graph, both float32)
 * of one ~100M-parameter checkpoint on the CPU, in one run. Not a test: it asserts nothing and writes
 * docs/benchmarks/checkpoint-build.md. Run with {@code ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=CheckpointBuildBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} (a few minutes and about 10 GB of disk on 2 cores).
 */
@Tag("benchmark")
class CheckpointBuildBenchmark {

    private static final int PROMPT = 32;
    private static final int NEW_TOKENS = 64;

    @Test
    void checkpointBuild() throws Exception {
        Path root = Files.createTempDirectory("assay-build-bench");
        try {
            List<String> rows = new ArrayList<>();
            build(root, rows);
            decode(root, rows);
            BenchmarkReport.write("checkpoint-build.md", "Building ONNX decoders from checkpoints", rows);
        } finally {
            delete(root);
        }
    }

    private static void build(Path root, List<String> rows) throws IOException, InterruptedException {
        ObjectNode config = RandomCheckpoint.llama32OneB(TensorDtype.BF16);
        long started = System.nanoTime();
        Path checkpoint = RandomCheckpoint.write(root.resolve("llama-1b"), config, TensorDtype.BF16, 1);
        long size = Files.size(checkpoint.resolve("model.safetensors"));
        progress("wrote %.2f GB in %.1f s", size / 1e9, seconds(started));
        rows.add("## Build: Llama 3.2 1B shape, bf16, %.2f B parameters, %.2f GB of safetensors"
                .formatted(RandomCheckpoint.parameters(config) / 1e9, size / 1e9));
        rows.add("");
        rows.add("Each build reads the checkpoint once to hash it (the cache key), then streams every tensor from "
                + "its memory mapping into `model.onnx.data`, converting where the graph's type differs. The "
                + "checkpoint was just written, so it is in the page cache: these are the builder's rates, not the "
                + "disk's. Peak memory is the growth of the process's anonymous resident memory (heap and native "
                + "buffers; the mapped checkpoint's pages are the page cache's, not the build's), sampled every "
                + "10 ms, and the most Java heap in use, over the build.");
        rows.add("");
        rows.add("| graph | build s | checkpoint GB/s | output GB | peak anonymous memory growth MB | peak heap MB |");
        rows.add("|---|---|---|---|---|---|");
        for (GraphVariant variant : List.of(GraphVariant.CPU_FP32, GraphVariant.FUSED_FP16)) {
            Path cache = root.resolve("cache-" + variant.label());
            CheckpointBuilds builds = new CheckpointBuilds(new BuiltModelCache(cache));
            System.gc();
            try (MemorySampler memory = MemorySampler.start()) {
                long t0 = System.nanoTime();
                CheckpointBuilds.Built built = builds.build(checkpoint, CheckpointBuilds.VariantChoice.always(variant));
                double s = seconds(t0);
                long out = Files.size(built.directory().resolve("model.onnx.data"));
                rows.add(String.format(
                        Locale.ROOT,
                        "| %s | %.1f | %.2f | %.2f | %d | %d |",
                        variant.label(),
                        s,
                        size / 1e9 / s,
                        out / 1e9,
                        memory.peakAnonymousGrowth() >> 20,
                        memory.peakHeap() >> 20));
                progress("built %s in %.1f s", variant.label(), s);
            }
            delete(cache);
        }
        rows.add("");
        rows.add("The largest tensor is the embedding matrix, 128256 × 2048: %d MB in bf16, %d MB in float32."
                .formatted(128256L * 2048 * 2 >> 20, 128256L * 2048 * 4 >> 20));
        rows.add("");
    }

    private static void decode(Path root, List<String> rows) throws IOException {
        ObjectNode config = RandomCheckpoint.llama(768, 2048, 12, 12, 4, 64, 32000, false, TensorDtype.F32);
        Path checkpoint = RandomCheckpoint.write(root.resolve("llama-100m"), config, TensorDtype.F32, 2);
        int threads = Runtime.getRuntime().availableProcessors();
        rows.add("## Decode on the CPU: the two graphs of one checkpoint");
        rows.add("");
        rows.add(("A random Llama of %.0f M parameters (hidden 768, 12 layers, 12 heads over 4 KV heads, vocabulary "
                        + "32000), float32, %d threads: prompts of %d tokens, then %d greedy steps through the KV "
                        + "cache; tokens/s of the steps alone, the fastest of 3 runs (the machine is shared). `cpu-fp32` "
                        + "is the Optimum-layout graph (MatMul/Softmax attention, what an Optimum export computes); "
                        + "`fused-fp32` the GroupQueryAttention graph, on ORT's CPU kernels.")
                .formatted(RandomCheckpoint.parameters(config) / 1e6, threads, PROMPT, NEW_TOKENS));
        rows.add("");
        rows.add("| batch | cpu-fp32 tokens/s | fused-fp32 tokens/s | fused ÷ cpu |");
        rows.add("|---|---|---|---|");
        CheckpointBuilds builds = new CheckpointBuilds(new BuiltModelCache(root.resolve("cache-decode")));
        Path plain = builds.build(checkpoint, CheckpointBuilds.VariantChoice.always(GraphVariant.CPU_FP32))
                .directory();
        Path fused = builds.build(checkpoint, CheckpointBuilds.VariantChoice.always(GraphVariant.FUSED_FP32))
                .directory();
        RunnerOptions options = RunnerOptions.on(ExecutionDevice.CPU, threads).withSpinWait(false);
        try (DecoderRunner a = DecoderRunner.open(plain.resolve("model.onnx"), options);
                DecoderRunner b = DecoderRunner.open(fused.resolve("model.onnx"), options)) {
            for (int batch : new int[] {1, 8}) {
                double cpu = 0;
                double gqa = 0;
                for (int run = 0; run < 3; run++) {
                    cpu = Math.max(cpu, decodeRate(a, batch));
                    gqa = Math.max(gqa, decodeRate(b, batch));
                }
                rows.add(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |", batch, cpu, gqa, gqa / cpu));
                progress("decode batch %d: %.1f vs %.1f tokens/s", batch, cpu, gqa);
            }
        }
        rows.add("");
        rows.add("An Optimum export of the same weights (`torch.onnx.export` through `optimum-cli`) cannot be made "
                + "here (no PyTorch); the GPU check kit compares with transformers on the GPU machine.");
    }

    /** Greedy steps/s × rows after a prefill of {@link #PROMPT} tokens per row (no padding, so both layouts agree). */
    private static double decodeRate(DecoderRunner runner, int batch) {
        long[] ids = new long[batch * PROMPT];
        long[] mask = new long[batch * PROMPT];
        long[] positions = new long[batch * PROMPT];
        int[] last = new int[batch];
        for (int r = 0; r < batch; r++) {
            for (int t = 0; t < PROMPT; t++) {
                ids[r * PROMPT + t] = 1 + (r * 31 + t * 7) % 1000;
                mask[r * PROMPT + t] = 1;
                positions[r * PROMPT + t] = t;
            }
            last[r] = r * PROMPT + PROMPT - 1;
        }
        DecodeStep step = runner.step(new DecoderBatch(batch, PROMPT, ids, PROMPT, mask, positions), null, last);
        KvCache cache = step.cache();
        int[] rows = new int[batch];
        for (int r = 0; r < batch; r++) {
            rows[r] = r;
        }
        long started = System.nanoTime();
        for (int s = 0; s < NEW_TOKENS; s++) {
            int length = PROMPT + s + 1;
            long[] next = new long[batch];
            long[] stepPositions = new long[batch];
            for (int r = 0; r < batch; r++) {
                next[r] = argmax(step.logits(), r, step.vocabSize());
                stepPositions[r] = length - 1;
            }
            long[] all = new long[batch * length];
            Arrays.fill(all, 1);
            step = runner.step(new DecoderBatch(batch, 1, next, length, all, stepPositions), cache, rows);
            cache = step.cache();
        }
        double s = seconds(started);
        cache.close();
        return batch * NEW_TOKENS / s;
    }

    private static int argmax(float[] logits, int row, int vocab) {
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[row * vocab + v] > logits[row * vocab + best]) {
                best = v;
            }
        }
        return best;
    }

    /** Samples RssAnon from /proc/self/status and the heap in use while open. */
    private static final class MemorySampler implements AutoCloseable {

        private final long baseline = anonymous();
        private volatile long peakAnonymous = baseline;
        private volatile long peakHeap;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::sample, "build-memory-sampler");

        static MemorySampler start() {
            MemorySampler sampler = new MemorySampler();
            sampler.thread.setDaemon(true);
            sampler.thread.start();
            return sampler;
        }

        private void sample() {
            while (running) {
                peakAnonymous = Math.max(peakAnonymous, anonymous());
                long heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == MemoryType.HEAP)
                        .mapToLong(p -> p.getUsage().getUsed())
                        .sum();
                peakHeap = Math.max(peakHeap, heap);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peakAnonymousGrowth() {
            return peakAnonymous - baseline;
        }

        long peakHeap() {
            return peakHeap;
        }

        private static long anonymous() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
                return lines.filter(l -> l.startsWith("RssAnon:"))
                        .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024)
                        .findFirst()
                        .orElse(0L);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[checkpoint-build] " + format + "%n", args);
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
