package ai.assay.core.retry;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Runs an operation again, after an exponential backoff, while it fails with a {@link TransientFailure}; any other
 * failure ends it at once. Built on Spring's {@link RetryTemplate}.
 */
public final class TransientRetries {

    private static final Duration MAX_DELAY = Duration.ofMinutes(1);

    private final RetryTemplate template;

    /**
     * @param retries how many times a failed attempt is tried again (0 for none)
     * @param delay   the wait before the first retry, doubled before each next one (at most a minute), give or
     *                take half of the first delay at random
     */
    public TransientRetries(int retries, Duration delay) {
        this.template = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(retries)
                .delay(delay)
                .jitter(delay.dividedBy(2))
                .multiplier(2)
                .maxDelay(MAX_DELAY)
                .includes(TransientFailure.class)
                .build());
    }

    /**
     * @param giveUp turns the last transient failure, once the retries are spent, into the caller's exception: it
     *               gets the failure's message followed by the number of attempts where there were several
     */
    public <T> T run(Supplier<T> attempt, BiFunction<String, TransientFailure, RuntimeException> giveUp) {
        try {
            return template.execute(attempt::get);
        } catch (RetryException e) {
            Throwable last = e.getLastException();
            if (last instanceof TransientFailure failure) {
                int attempts = e.getRetryCount() + 1;
                throw giveUp.apply(
                        attempts == 1 ? failure.getMessage() : failure.getMessage() + " (" + attempts + " attempts)",
                        failure);
            }
            if (last instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(last);
        }
    }
}
