package ai.assay.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import io.github.bucket4j.TimeMeter;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** Rate limits per token, on a clock the test moves: nothing here depends on how fast the test runs. */
@TestPropertySource(properties = {"assay.api.rate-limit.requests-per-minute=6", "assay.api.rate-limit.burst=3"})
@Import(RateLimitTests.FrozenClock.class)
class RateLimitTests extends ApiIntegrationTest {

    @TestConfiguration
    static class FrozenClock {

        static final AtomicLong NANOS = new AtomicLong();

        @Bean
        TimeMeter rateLimitClock() {
            return new TimeMeter() {
                @Override
                public long currentTimeNanos() {
                    return NANOS.get();
                }

                @Override
                public boolean isWallClockBased() {
                    return false;
                }
            };
        }
    }

    @Autowired
    private ApiTokenRepository tokens;

    /** A read token made directly in the database, so that making it spends none of the admin's requests. */
    private ApiClient reader(String name) {
        String secret = TokenSecrets.generate();
        tokens.insert(name, Set.of(Scope.READ), TokenSecrets.sha256(secret), null);
        return api.withToken(secret);
    }

    @Test
    void aTokenOverItsRateGets429WithRetryAfterUntilTheBucketRefills() {
        ApiClient limited = reader("busy");
        for (int i = 0; i < 3; i++) {
            assertThat(limited.get("/tasks").status()).isEqualTo(200);
        }

        Response refused = limited.get("/tasks");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("type").stringValue()).isEqualTo("/problems/rate-limited");
        // 6 a minute: the next request is allowed 10 s after the bucket ran dry
        assertThat(refused.header("Retry-After")).isEqualTo("10");
        FrozenClock.NANOS.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(limited.get("/tasks").status()).isEqualTo(200);
        assertThat(limited.get("/tasks").status()).isEqualTo(429);
    }

    @Test
    void eachCallerHasItsOwnBucketAndTheProbesHaveNone() {
        ApiClient first = reader("first");
        ApiClient second = reader("second");
        for (int i = 0; i < 3; i++) {
            first.get("/tasks");
        }

        assertThat(first.get("/tasks").status()).isEqualTo(429);
        assertThat(second.get("/tasks").status()).isEqualTo(200);
        for (int i = 0; i < 10; i++) {
            assertThat(first.anonymous().get("/readyz").status()).isEqualTo(200);
        }
    }
}
