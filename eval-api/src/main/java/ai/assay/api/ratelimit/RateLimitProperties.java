package ai.assay.api.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of rate limits, under {@code assay.api.rate-limit}. Each API pod counts on its own, so with N pods a
 * caller may send up to N times these figures.
 *
 * @param requestsPerMinute the sustained rate each caller may send; 0 turns rate limits off
 * @param burst             how many requests a caller may send at once after being idle
 */
@ConfigurationProperties("assay.api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("600") int requestsPerMinute,
        @DefaultValue("120") int burst) {

    public RateLimitProperties {
        if (requestsPerMinute < 0 || burst < 1) {
            throw new IllegalArgumentException(
                    "assay.api.rate-limit needs requests-per-minute >= 0 (0 = off) and burst >= 1");
        }
    }
}
