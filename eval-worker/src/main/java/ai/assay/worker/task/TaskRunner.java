package ai.assay.worker.task;

import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one kind of task inside a claimed job. A runner is a Spring bean; the worker finds it by
 * {@link #taskName()}, which must equal the name of a {@link ai.assay.core.task.TaskDefinition}.
 *
 * <p>A runner must be resumable: a job may be interrupted (crash, lost lease, shutdown) and resumed by another
 * worker. It reads what is already stored ({@link TaskStore}), skips it, stores each example as it finishes, and
 * computes its final metrics from the stored rows, so that a resumed run ends with the same results as an
 * uninterrupted one.
 *
 * <p>A runner that throws fails its task (the message becomes the task's error) and the job goes on with its
 * other tasks. Stopping is not failing: {@link TaskContext#checkStop()} throws {@link JobStoppedException},
 * which the worker handles.
 */
public interface TaskRunner {

    String taskName();

    /** Whether this run needs the evaluation's model (e.g. a task given pre-generated outputs needs none). */
    default boolean needsModel(ObjectNode options) {
        return true;
    }

    void run(TaskContext context) throws Exception;
}
