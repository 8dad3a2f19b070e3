package ai.assay.worker.queue;

import ai.assay.core.evaluation.ModelRef;
import java.util.List;

/** A job this worker has claimed: its lease, its model and its tasks in order. */
public record ClaimedJob(Lease lease, int maxAttempts, ModelRef model, List<JobTask> tasks) {

    public ClaimedJob {
        tasks = List.copyOf(tasks);
    }
}
