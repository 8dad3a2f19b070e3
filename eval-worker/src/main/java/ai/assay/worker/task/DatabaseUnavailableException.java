package ai.assay.worker.task;

/**
 * The database stayed unreachable while the job's writes were being retried (or the retries were told to end: the
 * lease could not be renewed for a whole lease period). Like any stop it is not a task failure: the worker gives the
 * job back, and it resumes from its checkpoints once the database answers again.
 */
public class DatabaseUnavailableException extends JobStoppedException {

    public DatabaseUnavailableException(String detail, Throwable cause) {
        super("database unreachable: " + detail);
        initCause(cause);
    }
}
