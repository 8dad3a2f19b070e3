package ai.assay.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When and how often to try an operation again that failed with a {@link TransientFailure}: up to
 * {@code maxAttempts} tries in all; before each retry, the server's {@code Retry-After} ({@link RetryAfter}) if it
 * sent one, else an exponential backoff, {@code initialBackoff} × 2^(retry − 1) with "equal jitter" (a random half of
 * it added to the other half, so that clients that failed together do not come back together); never more than
 * {@code maxBackoff}, which also caps what a server asks for.
 *
 * <p>{@link #run} is the loop for callers that retry in place (the judge, downloads); callers that schedule the next
 * try themselves (callbacks, through the outbox) take only {@link #waitBefore}. Spring's {@code RetryTemplate} is
 * not used because its backoff cannot take a wait the server names per attempt, and it cannot be told to stop
 * between attempts or during a wait when the run it works for has ended.
 *
 * <p>A plain value, not a bean: each user builds one from its own settings.
 *
 * @param jitter  the random source of the jitter (tests fix it)
 * @param sleeper how {@link #run} waits (tests record the waits instead)
 */
public record RetryPolicy(
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, RandomGenerator jitter, Sleeper sleeper) {

    private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);
    private static final RandomGenerator THREAD_LOCAL_RANDOM =
            () -> ThreadLocalRandom.current().nextLong();

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("a backoff cannot be negative");
        }
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Random jitter, real waits. */
    public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, THREAD_LOCAL_RANDOM, Sleeper.THREAD);
    }

    public RetryPolicy withSleeper(Sleeper sleeper) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, sleeper);
    }

    public RetryPolicy withJitter(RandomGenerator jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, sleeper);
    }

    /**
     * @param retry      1 for the first retry (the wait after the first failed attempt)
     * @param retryAfter what the server asked for, or null
     */
    public Duration waitBefore(int retry, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long cap = maxBackoff.toNanos();
        long nanos = initialBackoff.toNanos();
        for (int i = 1; i < retry && nanos < cap; i++) {
            nanos *= 2;
        }
        nanos = Math.min(nanos, cap);
        long half = nanos / 2;
        return Duration.ofNanos(nanos - half + (half > 0 ? jitter.nextLong(half + 1) : 0));
    }

    /**
     * Runs {@code attempt} until it returns, throws something other than a {@link TransientFailure}, or the attempts
     * are spent.
     *
     * @param stop   checked before every attempt and ended waits early: a stopped run makes no further attempt
     * @param giveUp turns the last transient failure, once the attempts are spent, into the caller's exception
     * @throws CancellationException when {@code stop} is set before an attempt
     * @throws InterruptedException  when the thread is interrupted during a wait
     */
    public <T> T run(Supplier<T> attempt, RunStop stop, GiveUp giveUp) throws InterruptedException {
        for (int tried = 0; ; ) {
            if (stop.isStopped()) {
                throw new CancellationException("stopped after " + tried + " attempts");
            }
            try {
                return attempt.get();
            } catch (TransientFailure failure) {
                tried++;
                if (tried >= maxAttempts) {
                    throw giveUp.giveUp(failure, tried);
                }
                if (stop.isStopped()) {
                    continue; // no wait: the check above ends the loop
                }
                Duration wait = waitBefore(tried, failure.retryAfter());
                log.debug("Attempt {} failed ({}); retrying in {}", tried, failure.getMessage(), wait);
                sleeper.sleep(wait, stop);
            }
        }
    }

    /** {@link #run(Supplier, RunStop, GiveUp)} for a caller that is never stopped from outside. */
    public <T> T run(Supplier<T> attempt, GiveUp giveUp) throws InterruptedException {
        return run(attempt, new RunStop(), giveUp);
    }

    /** What the caller throws once the attempts are spent. */
    @FunctionalInterface
    public interface GiveUp {

        /** @param attempts how many were made */
        RuntimeException giveUp(TransientFailure last, int attempts);
    }
}
