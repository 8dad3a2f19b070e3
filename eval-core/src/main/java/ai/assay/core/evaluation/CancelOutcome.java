package ai.assay.core.evaluation;

/** What a cancel request did. */
public enum CancelOutcome {
    /** The evaluation had not started; it is now cancelled. */
    CANCELLED,
    /** The evaluation is running; its worker will stop it and mark it cancelled. */
    CANCEL_REQUESTED,
    /** The evaluation had already ended (or a cancel was already under way); nothing changed. */
    ALREADY_FINISHED
}
