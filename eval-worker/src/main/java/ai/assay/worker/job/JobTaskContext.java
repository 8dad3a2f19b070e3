package ai.assay.worker.job;

import ai.assay.core.evaluation.ModelRef;
import ai.assay.worker.engine.LanguageModel;
import ai.assay.worker.queue.JobTask;
import ai.assay.worker.queue.Lease;
import ai.assay.worker.task.JobStoppedException;
import ai.assay.worker.task.ProgressReporter;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskStore;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** The {@link TaskContext} of one task of a running job. */
final class JobTaskContext implements TaskContext {

    private final Lease lease;
    private final JobTask task;
    private final ModelRef modelRef;
    private final ModelSession model;
    private final ProgressReporter progress;
    private final TaskStore store;
    private final StopSignal stop;

    JobTaskContext(
            Lease lease,
            JobTask task,
            ModelRef modelRef,
            ModelSession model,
            ProgressReporter progress,
            TaskStore store,
            StopSignal stop) {
        this.lease = lease;
        this.task = task;
        this.modelRef = modelRef;
        this.model = model;
        this.progress = progress;
        this.store = store;
        this.stop = stop;
    }

    @Override
    public UUID evaluationId() {
        return lease.evaluationId();
    }

    @Override
    public String taskName() {
        return task.name();
    }

    @Override
    public ObjectNode options() {
        return task.options().deepCopy();
    }

    @Override
    public ModelRef modelRef() {
        return modelRef;
    }

    @Override
    public LanguageModel model() {
        return model.get();
    }

    @Override
    public ProgressReporter progress() {
        return progress;
    }

    @Override
    public TaskStore store() {
        return store;
    }

    @Override
    public boolean stopRequested() {
        return stop.isStopped();
    }

    @Override
    public void checkStop() {
        StopReason reason = stop.reason();
        if (reason != null) {
            throw new JobStoppedException(
                    reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        }
    }
}
