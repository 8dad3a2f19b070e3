package ai.assay.worker.queue;

/** What renewing a lease found. */
public enum HeartbeatResult {
    /** The lease is renewed; carry on. */
    RENEWED,
    /** The lease is renewed, and a cancel was asked for. */
    CANCEL_REQUESTED,
    /** The job is no longer this worker's: stop and write nothing. */
    LOST
}
