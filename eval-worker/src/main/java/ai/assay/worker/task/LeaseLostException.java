package ai.assay.worker.task;

/**
 * A write was refused because this worker no longer holds the job's lease (it expired and the job was
 * requeued, failed or cancelled). Nothing was written; the job must stop.
 */
public class LeaseLostException extends JobStoppedException {

    public LeaseLostException(String detail) {
        super("lease lost: " + detail);
    }
}
