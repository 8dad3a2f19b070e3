package ai.assay.worker.job;

import ai.assay.core.evaluation.TaskPhase;
import ai.assay.worker.queue.DatabaseRetry;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.queue.Lease;
import ai.assay.worker.task.ProgressReporter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Progress of one task, written to its row at most once per interval (and at every phase change), so runners can
 * report every example without loading the database.
 */
final class TaskProgressReporter implements ProgressReporter {

    private final JobQueue queue;
    private final Lease lease;
    private final long taskId;
    private final WorkerMetrics metrics;
    private final Duration interval;
    private final Clock clock;
    private final DatabaseRetry retry;

    private TaskPhase phase;
    private Integer total;
    private int done;
    private int written = -1;
    private Instant lastWrite = Instant.MIN;

    TaskProgressReporter(
            JobQueue queue,
            Lease lease,
            long taskId,
            WorkerMetrics metrics,
            Duration interval,
            Clock clock,
            DatabaseRetry retry) {
        this.retry = retry;
        this.queue = queue;
        this.lease = lease;
        this.taskId = taskId;
        this.metrics = metrics;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public synchronized void phase(TaskPhase phase, Integer total, int alreadyDone) {
        this.phase = phase;
        this.total = total;
        this.done = alreadyDone;
        write(true);
    }

    @Override
    public synchronized void advance(int examples) {
        if (phase == null) {
            throw new IllegalStateException("call phase(...) before advance(...)");
        }
        done += examples;
        metrics.examples(examples);
        if (Duration.between(lastWrite, clock.instant()).compareTo(interval) >= 0) {
            write(false);
        }
    }

    @Override
    public void tokens(int promptTokens, int generatedTokens) {
        metrics.tokens(promptTokens, generatedTokens);
    }

    /** Writes what is not yet written, e.g. when the task ends. */
    synchronized void flush() {
        if (phase != null && done != written) {
            write(false);
        }
    }

    private void write(boolean phaseStarted) {
        retry.run(() -> queue.updateProgress(lease, taskId, phase, done, total, phaseStarted));
        written = done;
        lastWrite = clock.instant();
    }
}
