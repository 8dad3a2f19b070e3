package ai.assay.worker.job;

import ai.assay.core.retry.RunStop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The first reason a job was told to stop, shared by the heartbeat, the worker loop and the running task. */
final class StopSignal {

    private final AtomicReference<StopReason> reason = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final RunStop retries = new RunStop();
    private volatile boolean finishing;

    /**
     * Records the reason unless one is already set; the first reason wins. A lost lease or an unreachable database
     * also ends the job's database retries, whatever came first: nothing it writes could be kept any more.
     */
    void stop(StopReason why) {
        if (why == StopReason.LEASE_LOST || why == StopReason.DATABASE_UNREACHABLE) {
            retries.stop();
        }
        if (reason.compareAndSet(null, why)) {
            stopped.countDown();
        }
    }

    /** The job is being ended or released: its heartbeat has nothing left to guard. */
    void finishing() {
        finishing = true;
    }

    /**
     * What ends the retries of the job's database calls. A cancel or a shutdown does not: the task still checkpoints
     * what it has on its way out.
     */
    RunStop retries() {
        return retries;
    }

    boolean isFinishing() {
        return finishing;
    }

    boolean isStopped() {
        return reason.get() != null;
    }

    StopReason reason() {
        return reason.get();
    }

    /** Waits up to the given time, returning early (true) once the job is told to stop. */
    boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
