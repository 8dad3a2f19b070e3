package ai.assay.worker.job;

import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelBuildRecord;
import ai.assay.worker.engine.ModelBuild;
import ai.assay.worker.queue.DatabaseRetry;
import ai.assay.worker.queue.Lease;
import ai.assay.worker.task.LeaseLostException;

/**
 * Writes what the engine built from a checkpoint onto the job's evaluation, so that its results can be traced to
 * the exact weights and graph. The engine's record is mapped here because the engine knows nothing of the core.
 * The write is fenced by the job's lease and goes through the job's {@link DatabaseRetry}, like every write of a
 * running job: a refused write is a lost lease (the job stops), a database away for good gives the job back; neither
 * is a task failure, and neither passes unnoticed.
 */
final class ModelBuildRecorder {

    private final EvaluationRepository evaluations;
    private final Lease lease;
    private final DatabaseRetry retry;

    ModelBuildRecorder(EvaluationRepository evaluations, Lease lease, DatabaseRetry retry) {
        this.evaluations = evaluations;
        this.lease = lease;
        this.retry = retry;
    }

    void record(ModelBuild build) {
        ModelBuildRecord stored = of(build);
        boolean recorded = retry.call(
                () -> evaluations.recordModelBuild(lease.evaluationId(), lease.owner(), lease.attempt(), stored));
        if (!recorded) {
            throw new LeaseLostException("evaluation %s is no longer held by %s in attempt %d; its model build was not"
                            .formatted(lease.evaluationId(), lease.owner(), lease.attempt())
                    + " recorded");
        }
    }

    static ModelBuildRecord of(ModelBuild build) {
        return new ModelBuildRecord(
                build.builderVersion(),
                build.cacheKey(),
                build.reused(),
                build.dtype(),
                build.operators(),
                build.files().stream()
                        .map(file -> new ModelBuildRecord.CheckpointFile(file.name(), file.size(), file.sha256()))
                        .toList());
    }
}
