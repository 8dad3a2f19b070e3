package ai.assay.core.retry;

import java.time.Duration;

/** Waits between tries: a seam so that tests see the waits without taking them. */
@FunctionalInterface
public interface Sleeper {

    /** Waits on the stop signal, so a stop ends the wait at once. */
    Sleeper THREAD = (duration, stop) -> stop.await(duration);

    /**
     * Waits for {@code duration}, or less when {@code stop} is signalled meanwhile.
     *
     * @throws InterruptedException when the thread is interrupted
     */
    void sleep(Duration duration, RunStop stop) throws InterruptedException;
}
