package ai.assay.worker.judge;

import java.time.Duration;

/** Waits between retries; a seam so tests can see the waits without taking them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));

    /** @throws InterruptedException when the run is stopped */
    void sleep(Duration duration) throws InterruptedException;
}
