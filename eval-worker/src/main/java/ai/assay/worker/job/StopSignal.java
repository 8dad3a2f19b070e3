package ai.assay.worker.job;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** The first reason a job was told to stop, shared by the heartbeat, the worker loop and the running task. */
final class StopSignal {

    private final AtomicReference<StopReason> reason = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean finishing;

    /** Records the reason unless one is already set; the first reason wins. */
    void stop(StopReason why) {
        if (reason.compareAndSet(null, why)) {
            stopped.countDown();
        }
    }

    /** The job is being ended or released: its heartbeat has nothing left to guard. */
    void finishing() {
        finishing = true;
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
