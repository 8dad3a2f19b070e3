package ai.assay.worker.engine;

/** What a run of an engine's runtime was for, as {@link EngineTimes} counts them, in the order it lists them. */
public enum RunKind {
    /** The decoder with its logits and KV cache, for sampling: a prefill of the prompts or a decoding step. */
    GENERATION_PASS("generation passes", true),
    /** The decoder with its logits, for log-likelihoods: whole inputs, or continuations after a shared prefix. */
    SCORING_PASS("scoring passes", true),
    /** The decoder (or its copy without logits) keeping only the KV cache: the prefixes several requests share. */
    PREFILL("prefills", true),
    /** The log-probabilities of the scored tokens and whether each is the argmax, from a pass's logits. */
    TOKEN_SCORES("token scores", false),
    /** The logits of the positions a generation step samples from, copied to the host. */
    LOGITS_COPY("logits copies", false),
    /** Rows (and time steps) of a KV cache copied into new caches. */
    CACHE_COPY("cache copies", false);

    private final String label;
    private final boolean decoderPass;

    RunKind(String label, boolean decoderPass) {
        this.label = label;
        this.decoderPass = decoderPass;
    }

    /** How a log line names the kind: plural, lower case. */
    public String label() {
        return label;
    }

    /** Whether a run of this kind is a forward pass of the model, over token positions. */
    public boolean decoderPass() {
        return decoderPass;
    }
}
