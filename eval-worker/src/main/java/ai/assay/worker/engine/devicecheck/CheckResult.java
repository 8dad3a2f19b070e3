package ai.assay.worker.engine.devicecheck;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one device check measured: the file {@code deploy/gpu-check/compare.py} reads (field names in snake_case).
 *
 * @param kitVersion   the layout of this file; compare.py refuses another
 * @param device       where the decoder ran
 * @param shape        the model shape's label
 * @param dtype        the checkpoint's weights type
 * @param checkpoint   the random checkpoint
 * @param build        what the checkpoint builder made of it
 * @param kvCache      where the KV cache was found
 * @param workload     the token ids every measurement used, so that transformers runs the same
 * @param rates        per batch size
 * @param roofline     the batch-1 decode bound set by the memory bandwidth
 * @param scoring      the log-probs of the first scored sequence's continuation, at batch 1
 * @param greedy       greedy tokens of the fixed prompts
 * @param totalSeconds the whole check, writing the checkpoint included
 */
public record CheckResult(
        int kitVersion,
        Device device,
        String shape,
        String dtype,
        Checkpoint checkpoint,
        Build build,
        KvPlacement kvCache,
        Workload workload,
        List<BatchRates> rates,
        Roofline roofline,
        ScoredSequence scoring,
        List<GreedyRun> greedy,
        double totalSeconds) {

    public static final int KIT_VERSION = 1;

    /**
     * @param requested "cpu" or "cuda:N"
     * @param gpuName   nvidia-smi's name for the card, or empty
     * @param threads   ONNX Runtime's intra-op threads
     * @param javaVersion the runtime's version
     */
    public record Device(String requested, String gpuName, int threads, String javaVersion) {}

    /**
     * @param directory  where it is (transformers loads it from there)
     * @param config     its config.json
     * @param parameters parameters, a tied output projection counted once
     * @param bytes      size of model.safetensors
     * @param writeSeconds time to write it, 0 when an earlier run's was reused
     */
    public record Checkpoint(String directory, ObjectNode config, long parameters, long bytes, double writeSeconds) {}

    /**
     * @param variant     the graph variant's label
     * @param operators   the graph's operator types
     * @param seconds     time the build took (a cache hit takes well under a second)
     * @param reused      whether an earlier build was found in the cache
     * @param weightsBytes size of the graph's external weights (model.onnx.data)
     */
    public record Build(String variant, List<String> operators, double seconds, boolean reused, long weightsBytes) {}

    /**
     * @param checked   whether the check applies (CUDA only: on the CPU the cache is in host memory by design)
     * @param allocator ONNX Runtime's allocator of the first present output ("Cuda", "Cpu"), empty when not checked
     * @param onDevice  whether the cache stays on the device; true when not checked
     * @param error     why not, or empty
     */
    public record KvPlacement(boolean checked, String allocator, boolean onDevice, String error) {}

    /**
     * @param promptLength      tokens per row in the rate measurements
     * @param decodeSteps       greedy steps per decode measurement
     * @param ratePrompts       one row per row of the largest batch; batch b uses the first b
     * @param scoreContinuation the last this many tokens of each scored sequence are scored
     * @param scoreSequences    one per row of the largest batch
     */
    public record Workload(
            int promptLength,
            int decodeSteps,
            List<int[]> ratePrompts,
            int scoreContinuation,
            List<int[]> scoreSequences) {}

    /**
     * Rates at one batch size, each the best of its repetitions (the first run of each kind at each size is a
     * warm-up and not counted).
     *
     * @param prefillTokensPerSecond   prompt tokens through a prefill that keeps only the KV cache
     * @param decodeTokensPerSecond    greedy tokens per second over the decode steps after a prefill (host argmax
     *                                 included)
     * @param scoringRequestsPerSecond sequences scored per second: one full-logits pass and the continuation's
     *                                 log-softmax each
     */
    public record BatchRates(
            int batch, double prefillTokensPerSecond, double decodeTokensPerSecond, double scoringRequestsPerSecond) {}

    /**
     * @param weightsBytesPerStep   bytes of weights one decode step reads: every matrix once, the input embedding table
     *                              only where it is also the output projection (a step reads one row of it otherwise)
     * @param bandwidthGbs          10^9 bytes/s, or null where unknown
     * @param bandwidthSource       where the bandwidth figure came from, or why there is none
     * @param tokensPerSecond       bandwidth ÷ bytes per step, or null
     * @param measuredTokensPerSecond batch-1 decode tokens/s measured, or null where batch 1 was not measured
     * @param fraction              measured ÷ roofline, or null
     */
    public record Roofline(
            long weightsBytesPerStep,
            Double bandwidthGbs,
            String bandwidthSource,
            Double tokensPerSecond,
            Double measuredTokensPerSecond,
            Double fraction) {}

    /** @param logProbs the continuation tokens' log-probabilities, in order */
    public record ScoredSequence(int sequence, float[] logProbs) {}

    /**
     * Greedy decoding of one prompt alone (batch 1).
     *
     * @param prompt   token ids
     * @param tokens   the greedy tokens
     * @param logProbs each token's log-probability
     * @param margins  log-prob of the chosen token minus that of the runner-up: where it is small, another engine may
     *                 rightly pick the runner-up
     */
    public record GreedyRun(int[] prompt, int[] tokens, double[] logProbs, double[] margins) {}
}
