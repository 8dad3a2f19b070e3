package ai.assay.worker.job;

/** Why a running job must stop before its tasks are done. */
enum StopReason {
    /** A cancel was asked for through the API: the job ends cancelled. */
    CANCELLED,
    /** The lease is gone (expired and taken over, or the job was ended by the reaper): write nothing more. */
    LEASE_LOST,
    /** The worker is shutting down: checkpoint and give the job back to the queue. */
    SHUTDOWN,
    /**
     * The database stayed away (the lease could not be renewed for a whole lease period, or a task's own call met the
     * outage): not the task's failure; give the job back once the database answers, the attempt not counted.
     */
    DATABASE_UNREACHABLE
}
