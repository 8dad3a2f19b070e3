package ai.assay.worker.task;

/**
 * Unwinds a task when its job must stop (cancel, lost lease, shutdown). It is not a task failure: the worker
 * decides what the job's state becomes.
 */
public class JobStoppedException extends RuntimeException {

    public JobStoppedException(String reason) {
        super(reason);
    }
}
