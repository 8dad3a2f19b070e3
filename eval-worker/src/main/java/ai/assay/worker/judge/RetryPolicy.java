package ai.assay.worker.judge;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a failed judge request again: up to {@code maxAttempts} tries in all; before each retry, the server's
 * {@code Retry-After} if it sent one, else an exponential backoff ({@code initialBackoff} × 2^(retry − 1), with
 * "equal jitter": a random half of it added to the other half); never more than {@code maxBackoff}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * @param retry      1 for the first retry
     * @param retryAfter what the server asked for, or null
     */
    public Duration waitBefore(int retry, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long nanos = initialBackoff.toNanos();
        for (int i = 1; i < retry && nanos < maxBackoff.toNanos(); i++) {
            nanos *= 2;
        }
        nanos = Math.min(nanos, maxBackoff.toNanos());
        long half = nanos / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }
}
