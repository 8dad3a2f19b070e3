package ai.assay.worker.engine;

/** What a run of an engine's runtime was for, as {@link EngineTimes} counts them, in the order it lists them. */
public enum RunKind {
    /** The decoder with its logits and KV cache from an empty past, for sampling: a prefill of the prompts. */
    GENERATION_PASS("generation passes"),
    /**
     * The decoder with its logits over a KV cache, for sampling: a decoding step, one new token for every running
     * row. Its rows over its runs are how full continuous batching kept the batch (rows active per step, averaged).
     */
    DECODE_STEP("decoding steps"),
    /** The decoder with its logits, for log-likelihoods: whole inputs, or continuations after a shared prefix. */
    SCORING_PASS("scoring passes"),
    /** The decoder (or its copy without logits) keeping only the KV cache: the prefixes several requests share. */
    PREFILL("prefills"),
    /** The log-probabilities of the scored tokens and whether each is the argmax, from a pass's logits. */
    TOKEN_SCORES("token scores"),
    /** The logits of the positions a generation step samples from, copied to the host. */
    LOGITS_COPY("logits copies"),
    /** Rows (and time steps) of a KV cache copied into new caches. */
    CACHE_COPY("cache copies");

    private final String label;

    RunKind(String label) {
        this.label = label;
    }

    /** How a log line names the kind: plural, lower case. */
    public String label() {
        return label;
    }
}
