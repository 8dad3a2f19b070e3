package ai.assay.worker.engine.bench;

import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.engine.builder.BuiltModelCache;
import ai.assay.worker.engine.builder.CheckpointBuilds;
import ai.assay.worker.engine.builder.GraphVariant;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.ExecutionDevice;
import ai.assay.worker.engine.runtime.GemmProbe;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.testmodels.RandomCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Throughput of the engine on this machine for the graph the builder writes from a random ~56M-parameter Llama
 * checkpoint (bf16 safetensors, built to the fp32 CPU graph): generation prefill tokens/s at batch 1, 8, 32 with the
 * logits of each row's last position only ({@code logits_to_keep} 1) against every position's (0), with the logits
 * buffer each holds; decode tokens/s against the machine's bandwidth; and decode against a graph of the same weights
 * laid out as {@code torch.onnx.export} writes Llama ({@link TorchExportedLlama}), all in one run. Not a test: it
 * asserts nothing and writes docs/benchmarks/generation.md. Run with {@code ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=GenerationBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (a few minutes on 2 cores).
 */
@Tag("benchmark")
class GenerationBenchmark {

    private static final int VOCAB = 32000;
    private static final int HIDDEN = 512;
    private static final int INTERMEDIATE = 1376;
    private static final int LAYERS = 8;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 4;
    private static final int HEAD_DIM = 64;
    private static final int[] PROMPTS = {32, 128};
    private static final int[] BATCHES = {1, 8, 32};
    private static final int DECODE_STEPS = 32;
    private static final int PREFILL_RUNS = 5;

    @Test
    void generationThroughput() throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        long started = System.nanoTime();
        Path temp = Files.createTempDirectory("assay-bench");
        progress("writing the checkpoint");
        ObjectNode config = RandomCheckpoint.llama(
                HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, HEAD_DIM, VOCAB, false, TensorDtype.BF16);
        long parameters = RandomCheckpoint.parameters(config);
        Path checkpoint = RandomCheckpoint.write(temp.resolve("checkpoint"), config, TensorDtype.BF16, 1);
        long checkpointBytes = Files.size(checkpoint.resolve("model.safetensors"));
        progress("checkpoint written to " + checkpoint + " (left there for a comparison with PyTorch)");
        progress("building");
        long t0 = System.nanoTime();
        Path built = new CheckpointBuilds(new BuiltModelCache(temp.resolve("builds")))
                .build(checkpoint, CheckpointBuilds.VariantChoice.always(GraphVariant.CPU_FP32))
                .directory();
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long weightBytes = Files.size(built.resolve("model.onnx.data"));
        byte[] exported;
        try (HfCheckpoint opened = HfCheckpoint.open(checkpoint)) {
            exported = TorchExportedLlama.of(opened);
        }
        progress("machine limits");
        Limits before = machineLimits(threads);

        // No spin-waiting: on a shared machine spinning threads turn every step into a wait for descheduled ones.
        RunnerOptions options = RunnerOptions.on(ExecutionDevice.CPU, threads).withSpinWait(false);
        int p = PROMPTS.length;
        int b = BATCHES.length;
        double[][] keptRate = new double[p][b];
        double[][] allRate = new double[p][b];
        long[][] keptLogits = new long[p][b];
        long[][] allLogits = new long[p][b];
        double[][] builtStep = new double[p][b];
        double[][] exportStep = new double[p][b];
        boolean[][] sameTokens = new boolean[p][b];
        long keptPeak;
        long allPeak;
        try (DecoderRunner kept = DecoderRunner.open(built.resolve("model.onnx"), options);
                DecoderRunner all = DecoderRunner.open(built.resolve("model.onnx"), options.withLogitsToKeep(false));
                DecoderRunner export = DecoderRunner.open(exported, options)) {
            exported = null;
            if (!kept.keepsLogits() || all.keepsLogits()) {
                throw new IllegalStateException("the built graph has no logits_to_keep input");
            }
            for (DecoderRunner runner : List.of(kept, all, export)) {
                decodeLoop(runner, 1, 16, 4); // warm-up
            }
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < b; j++) {
                    int prompt = PROMPTS[i];
                    int batch = BATCHES[j];
                    progress("prefill, batch " + batch + ", prompt " + prompt);
                    double bestKept = Double.MAX_VALUE;
                    double bestAll = Double.MAX_VALUE;
                    // alternated, so that other load on the machine falls on both alike
                    for (int run = 0; run < PREFILL_RUNS; run++) {
                        bestKept = Math.min(bestKept, prefill(kept, batch, prompt));
                        bestAll = Math.min(bestAll, prefill(all, batch, prompt));
                    }
                    keptLogits[i][j] = kept.lastLogitsBytes();
                    allLogits[i][j] = all.lastLogitsBytes();
                    keptRate[i][j] = batch * prompt / bestKept;
                    allRate[i][j] = batch * prompt / bestAll;
                }
            }
            keptPeak = kept.peakLogitsBytes();
            allPeak = all.peakLogitsBytes();
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < b; j++) {
                    int prompt = PROMPTS[i];
                    int batch = BATCHES[j];
                    progress("decode, batch " + batch + ", prompt " + prompt);
                    double bestBuilt = Double.MAX_VALUE;
                    double bestExport = Double.MAX_VALUE;
                    boolean same = true;
                    for (int run = 0; run < 3; run++) {
                        Decoded a = decodeLoop(kept, batch, prompt, DECODE_STEPS);
                        Decoded e = decodeLoop(export, batch, prompt, DECODE_STEPS);
                        bestBuilt = Math.min(bestBuilt, a.medianStep);
                        bestExport = Math.min(bestExport, e.medianStep);
                        same &= Arrays.deepEquals(a.tokens, e.tokens);
                    }
                    builtStep[i][j] = bestBuilt;
                    exportStep[i][j] = bestExport;
                    sameTokens[i][j] = same;
                }
            }
        }
        progress("machine limits again");
        Limits after = machineLimits(threads);
        double bandwidth = Math.max(before.bandwidth, after.bandwidth);
        double gflops = Math.max(before.gflops, after.gflops);
        long projection = 2L * VOCAB * HIDDEN;
        // 2 FLOP per weight a token goes through (the embeddings are a lookup), the logit projection included
        long flopsPerToken = 2 * (parameters - (long) VOCAB * HIDDEN);

        List<String> rows = new ArrayList<>();
        rows.add(String.format(
                Locale.ROOT,
                "Model: a random Llama checkpoint written by the test code (`RandomCheckpoint`: `config.json` and "
                        + "one bf16 `model.safetensors` of %d MB; %d layers, hidden %d, %d query / %d KV heads of %d, "
                        + "SwiGLU MLP %d, vocabulary %d, untied, Llama 3 rope scaling, %.1fM parameters) and built by "
                        + "the worker's builder "
                        + "(`CheckpointBuilds`, `DecoderGraphWriter`) into the `cpu-fp32` graph it loads for a "
                        + "checkpoint (%d MB of weights; the build took %.1f s, %.2f GB/s of checkpoint read). ORT with "
                        + "%d threads and `spin-wait` off, greedy choice on the host. Each figure is the fastest of "
                        + "repeated runs: the machine is shared, and other work only ever slows a run down.",
                checkpointBytes >> 20,
                LAYERS,
                HIDDEN,
                HEADS,
                KV_HEADS,
                HEAD_DIM,
                INTERMEDIATE,
                VOCAB,
                parameters / 1e6,
                weightBytes >> 20,
                buildSeconds,
                checkpointBytes / buildSeconds / 1e9,
                threads));
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
                "Memory bandwidth %.1f GB/s (ORT MatMul [1,4096]×[4096,16384], streaming 256 MB of weights as a "
                        + "batch-1 decoding step does, %d threads) and fp32 GEMM %.1f GFLOP/s (ORT MatMul, "
                        + "2048×2048×2048), the better of measurements before and after the engine's runs (%.1f and "
                        + "%.1f GB/s; %.1f and %.1f GFLOP/s).",
                bandwidth / 1e9,
                threads,
                gflops / 1e9,
                before.bandwidth / 1e9,
                after.bandwidth / 1e9,
                before.gflops / 1e9,
                after.gflops / 1e9));
        rows.add("");
        rows.add("## Prefill: the last position's logits against every position's");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "One generation prefill (`DecoderRunner.step` from an empty cache, reading each row's last position, "
                        + "as `Generator` runs it) of a batch of prompts of one length. \"last only\": the built graph "
                        + "fed `logits_to_keep` 1, what the engine feeds; \"all\": the same graph fed 0, every position's "
                        + "logits, as an ONNX export computes them. Both runners ran in turn on the same inputs. "
                        + "Logits: the buffer the pass writes (batch × kept positions × vocabulary × 4 bytes, read "
                        + "from the runner). GFLOP/s counts %.0f MFLOP per prompt token and, for all positions, the "
                        + "logit projection's %.0f MFLOP at every position; the FLOP ratio is what the speed-up would "
                        + "be if both passes ran at the same GFLOP/s (a measured ratio far from it means other load "
                        + "fell on one side more than the other). The fastest of %d runs each.",
                (flopsPerToken - projection) / 1e6,
                projection / 1e6,
                PREFILL_RUNS));
        rows.add("");
        rows.add("| batch | prompt | last only tok/s | all tok/s | last / all | FLOP ratio | last only GFLOP/s "
                + "| logits, last only | logits, all |");
        rows.add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < b; j++) {
                int prompt = PROMPTS[i];
                double keptPerToken = flopsPerToken - projection + (double) projection / prompt;
                double keptFlops = keptRate[i][j] * keptPerToken;
                rows.add(String.format(
                        Locale.ROOT,
                        "| %d | %d | %.0f | %.0f | **%.2f×** | %.2f× | %.1f (%.0f%%) | %s | %s |",
                        BATCHES[j],
                        prompt,
                        keptRate[i][j],
                        allRate[i][j],
                        keptRate[i][j] / allRate[i][j],
                        flopsPerToken / keptPerToken,
                        keptFlops / 1e9,
                        100 * keptFlops / gflops,
                        megabytes(keptLogits[i][j]),
                        megabytes(allLogits[i][j])));
            }
        }
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "Peak logits buffer over all these prefills: %s with the last position only, %s with every "
                        + "position (batch 32 × 128 positions × vocabulary). With `logits_to_keep` 1 it grows with the "
                        + "batch and the vocabulary, no longer with the prompt length.",
                megabytes(keptPeak),
                megabytes(allPeak)));
        rows.add("");
        rows.add("## Decode: the built graph against the torch.onnx.export layout");
        rows.add("");
        rows.add(String.format(
                Locale.ROOT,
                "%d steps of one token per row after a prefill, the KV cache bound in place (`DecoderRunner`, greedy "
                        + "on the host as the generator chooses); ms/step is the median step of a run, the fastest of "
                        + "three runs. \"Built\": the builder's graph (`Gemm` with `transB`, "
                        + "`SimplifiedLayerNormalization`, grouped-query attention by broadcasting). \"Export layout\": "
                        + "the same weights in a graph laid out as `torch.onnx.export` writes `LlamaForCausalLM` for "
                        + "Optimum (`TorchExportedLlama`, written by the test code: `MatMul` with weights transposed "
                        + "to [in, out], RMSNorm as `Pow`/`ReduceMean`/`Add`/`Sqrt`/`Div`/`Mul`, `repeat_kv` as "
                        + "`Expand`/`Reshape` of the cache, every position's logits), fp32, run by the same runner "
                        + "code. \"Weights GB/s\" counts the built graph's %d MB read once per step. \"Same tokens\": "
                        + "both graphs chose the same greedy tokens in every run.",
                DECODE_STEPS,
                weightBytes >> 20));
        rows.add("");
        rows.add("| batch | prompt | built tok/s | built ms/step | weights GB/s | export layout tok/s "
                + "| export ms/step | built / export | same tokens |");
        rows.add("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < b; j++) {
                int batch = BATCHES[j];
                rows.add(String.format(
                        Locale.ROOT,
                        "| %d | %d | %.0f | %.1f | %.1f (%.0f%%) | %.0f | %.1f | **%.2f×** | %s |",
                        batch,
                        PROMPTS[i],
                        batch / builtStep[i][j],
                        1000 * builtStep[i][j],
                        weightBytes / builtStep[i][j] / 1e9,
                        100 * weightBytes / builtStep[i][j] / bandwidth,
                        batch / exportStep[i][j],
                        1000 * exportStep[i][j],
                        exportStep[i][j] / builtStep[i][j],
                        sameTokens[i][j] ? "yes" : "no"));
            }
        }
        rows.add("");
        double scaling = builtStep[1][0] / builtStep[1][2] * BATCHES[2] / BATCHES[0];
        rows.add(String.format(
                Locale.ROOT,
                "Decode tokens/s at batch 32 over batch 1, 128-token prompts: **%.1f×** (target ≥ 6×: %s).",
                scaling,
                scaling >= 6 ? "met" : "not met"));
        rows.add("");
        rows.add(String.format(Locale.ROOT, "Total time: %.0f s.", (System.nanoTime() - started) / 1e9));
        rows.add("");
        rows.add(NOTES);
        BenchmarkReport.write("generation.md", "Generation throughput", rows);
    }

    private static final String NOTES = """
            ## Against PyTorch

            Pending: PyTorch is not available on this machine, so the issue's target (prefill tokens/s at least
            PyTorch eager's at batch 1, 8 and 32 on the same weights) is not checked here. To produce it on a machine
            with `torch` and `transformers` (4.45 or later, which take `logits_to_keep`): keep the `checkpoint`
            directory this benchmark writes (a `save_pretrained` directory; it prints where), load it with
            `LlamaForCausalLM.from_pretrained(directory, torch_dtype=torch.float32)`, call `torch.set_num_threads(2)`,
            and time `model(input_ids, attention_mask=mask, logits_to_keep=1)` under `torch.inference_mode()` for
            batches of 1, 8 and 32 prompts of 32 and 128 tokens (the fastest of three), on the same machine and in
            the same session as this benchmark's "last only" column; that is what `generate()` runs for a prefill.

            ## Reading the numbers

            - Prefill is compute-bound. The logit projection is 2 × vocabulary × hidden FLOP per position (the
              share of the per-token arithmetic is in the prefill paragraph above); computing it for the last
              position of each row only saves most of it, and the [batch, prompt, vocabulary] logits buffer becomes
              [batch, 1, vocabulary]. The ratio is below the FLOP ratio where attention and the copies of the
              hidden states weigh more (short prompts, batch 1).
            - Decode at batch 1 is bound by memory bandwidth: every step reads all the weights once (the weights
              GB/s column). Larger batches read the same weights for more rows, so tokens/s grows with the batch
              until the matrix products become compute-bound. The export layout also expands the whole KV cache of
              every layer to the query heads at every step (`repeat_kv`) and runs RMSNorm as five elementwise
              passes, which costs more as the batch and the cache grow.
            - The export layout is written by the test code with the operators the exporter chooses for the parts
              that run at every step; a real export also builds its mask and rotary tables from many small
              operators and differs in other details, so it is a stand-in, not a measurement of an Optimum export
              (none can be made without PyTorch).
            - On this machine other jobs share the two cores, so absolute numbers move between runs; the ratios are
              measured in one run, the two sides in turn, from the fastest of repeated measurements.
            - Not rerun here: cached against naive decoding and scoring throughput, measured before on the
              previous test model (a TinyDecoder of LayerNorm, learned positions and a plain MLP); scoring is in
              [scoring.md](scoring.md).
            """;

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Seconds of one generation prefill of {@code batch} prompts of {@code length} tokens. */
    private static double prefill(DecoderRunner runner, int batch, int length) {
        DecoderBatch prompts = prompts(batch, length);
        int[] last = IntStream.range(0, batch).map(b -> b * length + length - 1).toArray();
        long t0 = System.nanoTime();
        DecodeStep step = runner.step(prompts, null, last);
        double seconds = (System.nanoTime() - t0) / 1e9;
        step.cache().close();
        return seconds;
    }

    private record Decoded(double medianStep, int[][] tokens) {}

    /** Prefill, then {@code steps} decoding steps of the batch, greedy on the host. */
    private static Decoded decodeLoop(DecoderRunner runner, int batch, int promptLength, int steps) {
        int[] last = IntStream.range(0, batch)
                .map(b -> b * promptLength + promptLength - 1)
                .toArray();
        DecodeStep step = runner.step(prompts(batch, promptLength), null, last);
        int[] rows = IntStream.range(0, batch).toArray();
        int[][] tokens = new int[batch][steps];
        double[] times = new double[steps];
        int width = promptLength;
        for (int n = 0; n < steps; n++) {
            long[] next = new long[batch];
            for (int b = 0; b < batch; b++) {
                tokens[b][n] = argmax(step.logits(), b * step.vocabSize(), step.vocabSize());
                next[b] = tokens[b][n];
            }
            long[] mask = new long[batch * (width + 1)];
            Arrays.fill(mask, 1);
            long[] positions = new long[batch];
            Arrays.fill(positions, width);
            long t1 = System.nanoTime();
            step = runner.step(new DecoderBatch(batch, 1, next, width + 1, mask, positions), step.cache(), rows);
            times[n] = (System.nanoTime() - t1) / 1e9;
            width++;
        }
        step.cache().close();
        Arrays.sort(times);
        return new Decoded(times[times.length / 2], tokens);
    }

    private static DecoderBatch prompts(int batch, int length) {
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] positions = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            int[] tokens = new Random(b).ints(length, 3, VOCAB).toArray();
            for (int i = 0; i < length; i++) {
                ids[b * length + i] = tokens[i];
                mask[b * length + i] = 1;
                positions[b * length + i] = i;
            }
        }
        return new DecoderBatch(batch, length, ids, length, mask, positions);
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
}
