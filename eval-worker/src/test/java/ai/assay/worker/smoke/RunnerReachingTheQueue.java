package ai.assay.worker.smoke;

import ai.assay.worker.queue.JobQueue;

/**
 * A test-only class that breaks the task-SPI rule on purpose: {@code ArchitectureTests} shows the rule refusing it.
 * Test classes are outside the rules' import, so it breaks nothing else.
 */
public final class RunnerReachingTheQueue {

    private final JobQueue queue;

    public RunnerReachingTheQueue(JobQueue queue) {
        this.queue = queue;
    }

    public JobQueue queue() {
        return queue;
    }
}
