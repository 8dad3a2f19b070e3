package ai.assay.worker.engine;

/** Why a completion ended. */
public enum FinishReason {
    /** The model produced an end-of-sequence token. */
    EOS,
    /** A stop string appeared. */
    STOP,
    /** maxNewTokens, or the model's maximum length, was reached. */
    LENGTH
}
