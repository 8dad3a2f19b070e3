package ai.assay.worker.engine;

/** Receives scores as they are computed. */
public interface ScoringSink {

    void accept(ScoringResult result);

    /** Checked between batches: true stops scoring. */
    default boolean shouldStop() {
        return false;
    }
}
