package ai.assay.core.retry;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the attempts of one run that it is over: set once (by whoever ends the run), seen by {@link RetryPolicy#run}
 * before every attempt and by {@link Sleeper#THREAD} during every wait. Unlike an interrupt it cannot be swallowed by
 * code in between (an SDK, a test's sleeper) and it reaches every thread of the run at once. Thread-safe.
 */
public final class RunStop {

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Ends the run; further calls do nothing. */
    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Waits until the signal is set or {@code duration} has passed.
     *
     * @return whether the signal is set
     */
    public boolean await(Duration duration) throws InterruptedException {
        return stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }
}
