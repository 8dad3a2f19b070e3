package ai.assay.worker.engine.devicecheck;

import ai.assay.worker.engine.builder.BuiltModelCache;
import ai.assay.worker.engine.builder.CheckpointBuilds;
import ai.assay.worker.engine.checkpoint.TensorDtype;
import ai.assay.worker.engine.devicecheck.CheckResult.BatchRates;
import ai.assay.worker.engine.devicecheck.CheckResult.GreedyRun;
import ai.assay.worker.engine.runtime.DecodeStep;
import ai.assay.worker.engine.runtime.DecoderBatch;
import ai.assay.worker.engine.runtime.DecoderRunner;
import ai.assay.worker.engine.runtime.RunnerOptions;
import ai.assay.worker.engine.runtime.TokenScores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device check (issue 19): writes a random checkpoint of a real shape, builds it with {@link CheckpointBuilds}
 * for the device (the fused GroupQueryAttention graph in fp16/bf16 on CUDA, the float32 graph on the CPU), checks on
 * CUDA that the KV cache stays in device memory, and measures at each batch size prefill tokens/s, greedy decode
 * tokens/s and scoring requests/s, then the greedy tokens and log-probs of a few fixed prompts, into a JSON file
 * ({@link CheckResult}). Every sequence is unpadded and of one length within a batch, so the measurements mean the
 * same in both graph layouts (the fused graph's right padding and the float32 graph's left padding coincide). No
 * Spring: {@code deploy/gpu-check/run.sh} runs it on a bare JRE. Exit status 1 when the KV cache is not on the device
 * (the results are written first).
 */
public final class DeviceCheck {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** Repetitions of each measurement after its warm-up; the best counts (a shared machine only ever slows one). */
    private static final int REPETITIONS = 3;

    /** Fewer for decoding, whose runs are the longest. */
    private static final int DECODE_REPETITIONS = 2;

    private final CheckOptions options;
    private final CheckShape shape;

    private DeviceCheck(CheckOptions options) {
        this.options = options;
        this.shape = options.shape();
    }

    public static void main(String[] args) {
        CheckOptions options;
        try {
            options = CheckOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CheckResult result = run(options);
        if (!result.kvCache().onDevice()) {
            throw new IllegalStateException(result.kvCache().error());
        }
    }

    /** Runs the check and writes {@code options.out()}; returns what it wrote. */
    public static CheckResult run(CheckOptions options) {
        try {
            return new DeviceCheck(options).check();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CheckResult check() throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(options.work());
        String dtype = options.dtype() == TensorDtype.BF16 ? "bf16" : "fp16";
        ObjectNode config = shape.config(options.dtype());
        Path checkpointDir = options.work().resolve("checkpoint-" + shape.label() + "-" + dtype);
        double writeSeconds = writeCheckpoint(checkpointDir, config);
        long checkpointBytes = Files.size(checkpointDir.resolve("model.safetensors"));

        progress("building %s for %s", checkpointDir.getFileName(), options.device());
        long t0 = System.nanoTime();
        CheckpointBuilds builds =
                new CheckpointBuilds(new BuiltModelCache(options.work().resolve("builds")));
        CheckpointBuilds.Built built = builds.build(
                checkpointDir,
                options.variant()
                        .map(CheckpointBuilds.VariantChoice::always)
                        .orElse(CheckpointBuilds.VariantChoice.forDevice(
                                options.device().isCuda())));
        double buildSeconds = seconds(t0);
        Path weights = built.directory().resolve("model.onnx.data");
        CheckResult.Build build = new CheckResult.Build(
                built.variant().label(),
                built.build().operators(),
                buildSeconds,
                built.build().reused(),
                Files.exists(weights) ? Files.size(weights) : 0);
        progress("built %s in %.1f s", built.variant().label(), buildSeconds);

        RunnerOptions runnerOptions = RunnerOptions.on(options.device(), options.threads())
                .withSpinWait(options.device().isCuda());
        CheckResult.Workload workload = workload();
        try (DecoderRunner runner = DecoderRunner.open(built.directory().resolve("model.onnx"), runnerOptions)) {
            CheckResult.KvPlacement kv = kvPlacement(runner);
            List<BatchRates> rates = new ArrayList<>();
            for (int batch : options.batches()) {
                BatchRates r = new BatchRates(
                        batch,
                        prefillRate(runner, workload, batch),
                        decodeRate(runner, workload, batch),
                        scoringRate(runner, workload, batch));
                progress(
                        "batch %d: prefill %.1f tokens/s, decode %.1f tokens/s, scoring %.2f requests/s",
                        batch, r.prefillTokensPerSecond(), r.decodeTokensPerSecond(), r.scoringRequestsPerSecond());
                rates.add(r);
            }
            CheckResult.ScoredSequence scored =
                    new CheckResult.ScoredSequence(0, score(runner, workload, 1).logProbs());
            List<GreedyRun> greedy = new ArrayList<>();
            int[] lengths = shape.greedyPromptLengths();
            for (int p = 0; p < lengths.length; p++) {
                greedy.add(greedy(runner, greedyPrompt(p, lengths[p])));
            }
            CheckResult result = new CheckResult(
                    CheckResult.KIT_VERSION,
                    new CheckResult.Device(
                            options.device().toString(),
                            options.gpuName(),
                            options.threads(),
                            Runtime.version().toString()),
                    shape.label(),
                    dtype,
                    new CheckResult.Checkpoint(
                            checkpointDir.toAbsolutePath().toString(),
                            config,
                            RandomCheckpointWriter.parameters(config),
                            checkpointBytes,
                            writeSeconds),
                    build,
                    kv,
                    workload,
                    rates,
                    roofline(config, built, rates),
                    scored,
                    greedy,
                    seconds(started));
            Path parent = options.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(options.out(), JSON.writeValueAsString(result));
            progress("wrote %s in %.1f s", options.out(), result.totalSeconds());
            return result;
        }
    }

    /** Writes the checkpoint unless an earlier run left the same one; returns the seconds spent. */
    private double writeCheckpoint(Path directory, ObjectNode config) throws IOException {
        Path configFile = directory.resolve("config.json");
        if (Files.isRegularFile(directory.resolve("model.safetensors"))
                && Files.isRegularFile(configFile)
                && Files.readString(configFile).equals(config.toPrettyString())) {
            progress("reusing the checkpoint in %s", directory);
            return 0;
        }
        // Written beside its place and moved in whole, so that a run killed while writing leaves nothing to reuse.
        Path partial = directory.resolveSibling(directory.getFileName() + ".partial");
        deleteCheckpoint(partial);
        deleteCheckpoint(directory);
        long t0 = System.nanoTime();
        RandomCheckpointWriter.write(partial, config, options.dtype(), 1, options.threads());
        Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
        double s = seconds(t0);
        progress(
                "wrote a random %s checkpoint (%.2f GB) in %.1f s",
                shape.label(), Files.size(directory.resolve("model.safetensors")) / 1e9, s);
        return s;
    }

    /** Removes a checkpoint directory this class wrote: only its two files, then the directory. */
    private static void deleteCheckpoint(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        Files.deleteIfExists(directory.resolve("model.safetensors"));
        Files.deleteIfExists(directory.resolve("config.json"));
        Files.delete(directory);
    }

    private CheckResult.KvPlacement kvPlacement(DecoderRunner runner) {
        if (!options.device().isCuda()) {
            return new CheckResult.KvPlacement(false, "", true, "");
        }
        String allocator = runner.kvAllocatorName();
        try {
            runner.verifyKvPlacement();
            progress("the KV cache is in '%s' memory", allocator);
            return new CheckResult.KvPlacement(true, allocator, true, "");
        } catch (IllegalStateException e) {
            progress("KV CACHE NOT ON THE DEVICE: %s", e.getMessage());
            return new CheckResult.KvPlacement(true, allocator, false, e.getMessage());
        }
    }

    private CheckResult.Workload workload() {
        int rows = options.batches().get(options.batches().size() - 1);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            prompts.add(tokens(shape.promptLength(), r * 7919L + 17, 104729));
            sequences.add(tokens(shape.scoreLength(), r * 6007L + 5, 7727));
        }
        return new CheckResult.Workload(
                shape.promptLength(), shape.decodeSteps(), prompts, shape.scoreContinuation(), sequences);
    }

    private int[] greedyPrompt(int index, int length) {
        return tokens(length, index * 1009L + 3, 613);
    }

    /** Token ids spread over the vocabulary, never 0 (which some configs call padding). */
    private int[] tokens(int length, long start, long stride) {
        int[] ids = new int[length];
        for (int t = 0; t < length; t++) {
            ids[t] = (int) (1 + Math.floorMod(start + t * stride, (long) shape.vocab() - 1));
        }
        return ids;
    }

    private double prefillRate(DecoderRunner runner, CheckResult.Workload workload, int batch) {
        DecoderBatch input = unpadded(workload.ratePrompts().subList(0, batch));
        runner.prefill(input).close();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < REPETITIONS; i++) {
            long t0 = System.nanoTime();
            runner.prefill(input).close();
            best = Math.min(best, seconds(t0));
        }
        return (double) batch * workload.promptLength() / best;
    }

    private double decodeRate(DecoderRunner runner, CheckResult.Workload workload, int batch) {
        List<int[]> prompts = workload.ratePrompts().subList(0, batch);
        decodeSeconds(runner, prompts, Math.min(2, workload.decodeSteps()));
        double best = Double.MAX_VALUE;
        for (int i = 0; i < DECODE_REPETITIONS; i++) {
            best = Math.min(best, decodeSeconds(runner, prompts, workload.decodeSteps()));
        }
        return (double) batch * workload.decodeSteps() / best;
    }

    /** Prefills {@code prompts}, then times {@code steps} greedy steps of every row (argmax on the host). */
    private static double decodeSeconds(DecoderRunner runner, List<int[]> prompts, int steps) {
        int batch = prompts.size();
        int length = prompts.get(0).length;
        int[] last = new int[batch];
        int[] rows = new int[batch];
        for (int r = 0; r < batch; r++) {
            last[r] = r * length + length - 1;
            rows[r] = r;
        }
        DecodeStep step = runner.step(unpadded(prompts), null, last);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            int width = length + s + 1;
            long[] next = new long[batch];
            long[] positions = new long[batch];
            for (int r = 0; r < batch; r++) {
                next[r] = argmax(step.logits(), r, step.vocabSize());
                positions[r] = width - 1;
            }
            long[] mask = new long[batch * width];
            Arrays.fill(mask, 1);
            step = runner.step(new DecoderBatch(batch, 1, next, width, mask, positions), step.cache(), rows);
        }
        double s = seconds(t0);
        step.cache().close();
        return s;
    }

    private double scoringRate(DecoderRunner runner, CheckResult.Workload workload, int batch) {
        score(runner, workload, batch);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < REPETITIONS; i++) {
            long t0 = System.nanoTime();
            score(runner, workload, batch);
            best = Math.min(best, seconds(t0));
        }
        return batch / best;
    }

    /** One pass over the first {@code batch} score sequences: the log-probs of each one's continuation tokens. */
    private static TokenScores score(DecoderRunner runner, CheckResult.Workload workload, int batch) {
        List<int[]> sequences = workload.scoreSequences().subList(0, batch);
        int length = sequences.get(0).length;
        int continuation = workload.scoreContinuation();
        int[] rows = new int[batch * continuation];
        int[] targets = new int[batch * continuation];
        for (int r = 0; r < batch; r++) {
            for (int c = 0; c < continuation; c++) {
                int target = length - continuation + c;
                rows[r * continuation + c] = r * length + target - 1;
                targets[r * continuation + c] = sequences.get(r)[target];
            }
        }
        return runner.score(unpadded(sequences), rows, targets);
    }

    /** Greedy decoding of one prompt at batch 1, with each token's log-probability and its margin. */
    private GreedyRun greedy(DecoderRunner runner, int[] prompt) {
        int steps = shape.greedySteps();
        int[] tokens = new int[steps];
        double[] logProbs = new double[steps];
        double[] margins = new double[steps];
        DecodeStep step = runner.step(unpadded(List.of(prompt)), null, new int[] {prompt.length - 1});
        for (int s = 0; s < steps; s++) {
            float[] logits = step.logits();
            int best = argmax(logits, 0, step.vocabSize());
            double max = logits[best];
            double second = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int v = 0; v < step.vocabSize(); v++) {
                sum += Math.exp(logits[v] - max);
                if (v != best) {
                    second = Math.max(second, logits[v]);
                }
            }
            tokens[s] = best;
            logProbs[s] = -Math.log(sum);
            margins[s] = max - second;
            if (s + 1 < steps) {
                int width = prompt.length + s + 1;
                long[] mask = new long[width];
                Arrays.fill(mask, 1);
                step = runner.step(
                        new DecoderBatch(1, 1, new long[] {best}, width, mask, new long[] {width - 1}),
                        step.cache(),
                        new int[] {0});
            }
        }
        step.cache().close();
        return new GreedyRun(prompt, tokens, logProbs, margins);
    }

    private CheckResult.Roofline roofline(ObjectNode config, CheckpointBuilds.Built built, List<BatchRates> rates) {
        long parameters = RandomCheckpointWriter.parameters(config);
        // An untied input embedding is only gathered from (one row per token); a tied one is read whole as the output
        // projection, and counted once already.
        long read = shape.tied() ? parameters : parameters - (long) shape.vocab() * shape.hidden();
        long bytesPerStep = read * built.variant().type().bytes();
        Double measured = rates.stream()
                .filter(r -> r.batch() == 1)
                .map(BatchRates::decodeTokensPerSecond)
                .findFirst()
                .orElse(null);
        if (options.bandwidth().isEmpty()) {
            String why = options.device().isCuda()
                    ? "unknown: no --bandwidth-gbs, and no datasheet figure for '" + options.gpuName() + "'"
                    : "none: the check ran on the CPU";
            return new CheckResult.Roofline(bytesPerStep, null, why, null, measured, null);
        }
        Bandwidth bandwidth = options.bandwidth().get();
        double bound = bandwidth.gigabytesPerSecond() * 1e9 / bytesPerStep;
        return new CheckResult.Roofline(
                bytesPerStep,
                bandwidth.gigabytesPerSecond(),
                bandwidth.source(),
                bound,
                measured,
                measured == null ? null : measured / bound);
    }

    /** Rows of one length, no padding, positions 0..length-1 (ignored by graphs without position_ids). */
    private static DecoderBatch unpadded(List<int[]> rows) {
        int batch = rows.size();
        int length = rows.get(0).length;
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] positions = new long[batch * length];
        for (int r = 0; r < batch; r++) {
            for (int t = 0; t < length; t++) {
                ids[r * length + t] = rows.get(r)[t];
                mask[r * length + t] = 1;
                positions[r * length + t] = t;
            }
        }
        return new DecoderBatch(batch, length, ids, length, mask, positions);
    }

    private static int argmax(float[] logits, int row, int vocab) {
        int base = row * vocab;
        int best = 0;
        for (int v = 1; v < vocab; v++) {
            if (logits[base + v] > logits[base + best]) {
                best = v;
            }
        }
        return best;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[device-check] " + format + "%n", args);
    }
}
