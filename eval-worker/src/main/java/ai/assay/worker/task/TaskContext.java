package ai.assay.worker.task;

import ai.assay.core.evaluation.ModelRef;
import ai.assay.worker.engine.LanguageModel;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** What a running task can see and do. */
public interface TaskContext {

    UUID evaluationId();

    String taskName();

    /** The task's options with every default filled in (validated by the API). */
    ObjectNode options();

    /** The model as submitted: its name (the generator name in exports), URI and revision. */
    ModelRef modelRef();

    /**
     * The evaluation's model, loaded on first use and shared by the job's tasks; freed when the job ends.
     *
     * @throws ai.assay.worker.engine.ModelLoadException when it cannot be loaded
     */
    LanguageModel model();

    ProgressReporter progress();

    /** Checkpointed reads and writes of the task's per-example results. */
    TaskStore store();

    /** True once the job must stop: cancelled, lease lost, or the worker is shutting down. */
    boolean stopRequested();

    /** Throws {@link JobStoppedException} if the job must stop. Runners call it between batches. */
    void checkStop();
}
