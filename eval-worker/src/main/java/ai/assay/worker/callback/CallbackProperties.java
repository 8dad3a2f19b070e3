package ai.assay.worker.callback;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of completion callbacks, under {@code assay.worker.callback}.
 *
 * @param secret         the HMAC-SHA256 key that signs each body (header {@code X-Assay-Signature}); empty sends
 *                       callbacks unsigned, which the worker warns about at start-up
 * @param maxAttempts    how many times one callback is tried before it is abandoned
 * @param initialBackoff the wait after the first failed attempt; it doubles with each further failure
 * @param maxBackoff     the longest wait between two attempts
 * @param timeout        how long one attempt may take (connect and response)
 * @param pollInterval   how often the dispatcher looks for due callbacks
 */
@ConfigurationProperties("assay.worker.callback")
public record CallbackProperties(
        @DefaultValue("") String secret,
        @DefaultValue("10") int maxAttempts,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("10m") Duration maxBackoff,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("1s") Duration pollInterval) {

    @Override
    public String toString() {
        return "CallbackProperties[secret=%s, maxAttempts=%d, initialBackoff=%s, maxBackoff=%s, timeout=%s]"
                .formatted(secret.isEmpty() ? "<none>" : "<set>", maxAttempts, initialBackoff, maxBackoff, timeout);
    }
}
