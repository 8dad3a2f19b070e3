package ai.assay.worker.engine;

/** Receives completions as they finish. */
public interface GenerationSink {

    void accept(GenerationResult result);

    /** Checked between decoding steps: true stops generation (cancel, lost lease, shutdown). */
    default boolean shouldStop() {
        return false;
    }
}
