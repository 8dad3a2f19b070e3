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
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.RandomCheckpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's generation prefill against PyTorch eager on the same weights and the same number of threads, in one
 * run: the builder's graph of a random Llama checkpoint (the shape {@link GenerationBenchmark} uses), prompts of
 * {@value #PROMPT} tokens at batch 1, 8 and 32, the logit projection on the last position only on both sides (the
 * engine through {@code logits_to_keep}, PyTorch as {@code generate} runs its prefill), the best of three each. The
 * PyTorch side is {@code bench/torch_prefill.py}, a plain float32 forward pass in transformers' shape; it needs a
 * python3 with torch ({@code ASSAY_TORCH_PYTHON}, else Debian's {@code /usr/bin/python3} with
 * {@code apt-get install python3-torch libopenblas0-pthread}: without an optimised BLAS Debian's torch multiplies
 * through the reference one, some 40 times slower). Not a test: it asserts nothing and writes
 * docs/benchmarks/prefill-vs-torch.md. Run with {@code ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=PrefillAgainstTorchBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} (a few minutes on 2 cores).
 */
@Tag("benchmark")
class PrefillAgainstTorchBenchmark {

    private static final int PROMPT = 128;
    private static final int[] BATCHES = {1, 8, 32};
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @Test
    void prefillAgainstTorch() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ObjectNode config = RandomCheckpoint.llama(512, 1376, 8, 8, 4, 64, 32000, false, TensorDtype.BF16);
        Path checkpoint = RandomCheckpoint.write(temp.resolve("checkpoint"), config, TensorDtype.BF16, 1);
        Path built = new CheckpointBuilds(new BuiltModelCache(temp.resolve("builds")))
                .build(checkpoint, CheckpointBuilds.VariantChoice.always(GraphVariant.CPU_FP32))
                .directory();

        double[] engine = new double[BATCHES.length];
        float[] engineRow0;
        try (DecoderRunner runner = DecoderRunner.open(
                built.resolve("model.onnx"),
                RunnerOptions.on(ExecutionDevice.CPU, threads).withSpinWait(false))) {
            engineRow0 = prefill(runner, BATCHES[0]);
            for (int i = 0; i < BATCHES.length; i++) {
                prefill(runner, BATCHES[i]);
                double best = Double.MAX_VALUE;
                for (int run = 0; run < 3; run++) {
                    long started = System.nanoTime();
                    prefill(runner, BATCHES[i]);
                    best = Math.min(best, (System.nanoTime() - started) / 1e9);
                }
                engine[i] = best;
                System.out.printf(Locale.ROOT, "[prefill-vs-torch] engine batch %d: %.3f s%n", BATCHES[i], best);
            }
        }

        JsonNode torch = torch(checkpoint, threads);
        double largest = 0;
        JsonNode row0 = torch.get("row0");
        for (int v = 0; v < engineRow0.length; v++) {
            largest = Math.max(largest, Math.abs(engineRow0[v] - row0.get(v).asDouble()));
        }

        List<String> rows = new ArrayList<>();
        rows.add(("A random Llama checkpoint of %.0f M parameters (hidden 512, 8 layers, 8 heads over 4 KV heads, "
                        + "MLP 1376, vocabulary 32000, bf16 weights computed in float32 on both sides), built into "
                        + "`cpu-fp32`; prompts of %d tokens, no padding; %d threads on both sides; the best of three "
                        + "prefills each, in one run. PyTorch %s eager (`bench/torch_prefill.py`: transformers' "
                        + "Llama forward, the logit projection on the last position as `generate` runs its "
                        + "prefill), whose float32 GEMM ran at %.0f GFLOP/s here.")
                .formatted(
                        RandomCheckpoint.parameters(config) / 1e6,
                        PROMPT,
                        threads,
                        torch.get("torch").asString(),
                        torch.get("gemm_gflops").asDouble()));
        rows.add("");
        rows.add("| batch | engine tokens/s | PyTorch eager tokens/s | engine ÷ PyTorch |");
        rows.add("|---|---|---|---|");
        for (int i = 0; i < BATCHES.length; i++) {
            double tokens = (double) BATCHES[i] * PROMPT;
            double theirs = torch.at("/seconds/" + BATCHES[i]).asDouble();
            rows.add(String.format(
                    Locale.ROOT,
                    "| %d | %.0f | %.0f | %.2f |",
                    BATCHES[i],
                    tokens / engine[i],
                    tokens / theirs,
                    theirs / engine[i]));
        }
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Both computed the same thing: the last position's logits of the first row differ by at most %.1e.",
                largest));
        rows.add("");
        rows.add("PyTorch here is Debian's build on OpenBLAS (`python3-torch`, `libopenblas0-pthread`; no PyPI on this "
                + "machine). The PyPI wheel, on MKL and oneDNN, may be faster: rerun with `ASSAY_TORCH_PYTHON` "
                + "naming a python3 that has it to compare with that one.");
        BenchmarkReport.write("prefill-vs-torch.md", "Generation prefill against PyTorch eager", rows);
    }

    /** One prefill of {@code batch} rows of {@link #PROMPT} tokens, asking for each row's last logits. */
    private static float[] prefill(DecoderRunner runner, int batch) {
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
        step.cache().close();
        return Arrays.copyOf(step.logits(), step.vocabSize());
    }

    private static JsonNode torch(Path checkpoint, int threads) throws IOException, InterruptedException {
        Path script = Path.of("src/test/resources/bench/torch_prefill.py").toAbsolutePath();
        String python = python();
        Process process = new ProcessBuilder(
                        python,
                        script.toString(),
                        checkpoint.toString(),
                        Integer.toString(threads),
                        Integer.toString(PROMPT),
                        Arrays.stream(BATCHES).mapToObj(Integer::toString).collect(Collectors.joining(",")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out;
        try (InputStream stdout = process.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(python + " " + script + " failed: " + out);
        }
        return JSON.readTree(out);
    }

    /** A python3 that imports torch: ASSAY_TORCH_PYTHON, else Debian's, else the one on the PATH. */
    private static String python() throws IOException, InterruptedException {
        for (String candidate : Arrays.asList(System.getenv("ASSAY_TORCH_PYTHON"), "/usr/bin/python3", "python3")) {
            if (Objects.isNull(candidate)) {
                continue;
            }
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import torch")
                        .redirectErrorStream(true)
                        .start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not there: try the next
            }
        }
        throw new IllegalStateException(
                "no python3 with torch: set ASSAY_TORCH_PYTHON or apt-get install python3-torch");
    }
}
