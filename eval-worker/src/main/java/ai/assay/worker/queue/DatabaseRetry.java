package ai.assay.worker.queue;

import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.RunStop;
import ai.assay.core.retry.TransientFailure;
import ai.assay.worker.task.DatabaseUnavailableException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Runs the database calls of a running job again while they fail transiently
 * ({@link TransientFailure#isTransientDatabaseError}: a PostgreSQL restart, a dropped connection), with the one retry
 * policy, so that a database briefly away is the worker's trouble and never fails a task. Only idempotent calls are
 * run through it: every write is fenced by the lease, inserts keep the rows that exist and the rest replace, so a
 * call whose commit was lost on the way may safely run again. Any other error is thrown at once.
 *
 * <p>When the retries end (told to stop, or out of tries) the caller gets a {@link DatabaseUnavailableException}:
 * the job stops and is given back, not failed.
 */
public final class DatabaseRetry {

    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(2);

    private final RetryPolicy policy;
    private final RunStop stop;

    private DatabaseRetry(int attempts, RunStop stop) {
        this.policy = RetryPolicy.of(attempts, FIRST_WAIT, LONGEST_WAIT);
        this.stop = stop;
    }

    /**
     * Retries for as long as {@code stop} is not set: for the calls of a job while it runs, whose heartbeat sets
     * it once the lease could not be renewed for a whole lease period (after that another worker may own the job).
     */
    public static DatabaseRetry until(RunStop stop) {
        return new DatabaseRetry(Integer.MAX_VALUE, stop);
    }

    /**
     * Retries for roughly {@code span} (waits of up to 2 s each): for ending or giving back a job, after its stop
     * signal is set; past a lease period the reaper takes over anyway.
     */
    public static DatabaseRetry forAbout(Duration span) {
        return new DatabaseRetry((int) Math.max(3, span.toMillis() / LONGEST_WAIT.toMillis() + 5), new RunStop());
    }

    public <T> T call(Supplier<T> call) {
        try {
            return policy.run(
                    () -> {
                        try {
                            return call.get();
                        } catch (RuntimeException e) {
                            if (TransientFailure.isTransientDatabaseError(e)) {
                                throw new TransientFailure(String.valueOf(e.getMessage()), e);
                            }
                            throw e;
                        }
                    },
                    stop,
                    (last, attempts) -> new DatabaseUnavailableException(last.messageAfter(attempts), last.getCause()));
        } catch (CancellationException e) {
            throw new DatabaseUnavailableException("the job stopped while its write waited for the database", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while waiting for the database", e);
        }
    }

    public void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
