package ai.assay.worker.engine.ort;

/** What an ORT run of the engine was for, as {@link DecoderRunner#times()} counts them. */
enum RunKind {
    GENERATION_PASS("generation passes"),
    SCORING_PASS("scoring passes"),
    PREFILL("prefills"),
    TOKEN_SCORES("token scores"),
    LOGITS_COPY("logits copies"),
    CACHE_COPY("cache copies");

    private final String label;

    RunKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
