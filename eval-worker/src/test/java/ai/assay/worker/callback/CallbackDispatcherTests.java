package ai.assay.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.testing.TestHosts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackDispatcherTests {

    private final CallbackDispatcher dispatcher = new CallbackDispatcher(
            null,
            new CallbackProperties(
                    "",
                    10,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1)),
            new OutboundGuard(OutboundProperties.defaults(), TestHosts.RESOLVER));

    @Test
    void backsOffExponentiallyUpToTheLimit() {
        // with equal jitter: between half and all of initial-backoff × 2^(attempts − 1), at most max-backoff
        assertThat(dispatcher.waitBefore(1, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(dispatcher.waitBefore(2, null)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(dispatcher.waitBefore(5, null)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(16));
        assertThat(dispatcher.waitBefore(6, null)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
        assertThat(dispatcher.waitBefore(60, null)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Test
    void theReceiversRetryAfterIsHonouredUpToTheLimit() {
        assertThat(dispatcher.waitBefore(5, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(dispatcher.waitBefore(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void onlyAnswersAnotherTryMayCureAreRetried() {
        assertThat(CallbackDispatcher.worthRetrying(503)).isTrue();
        assertThat(CallbackDispatcher.worthRetrying(500)).isTrue();
        assertThat(CallbackDispatcher.worthRetrying(429)).isTrue();
        assertThat(CallbackDispatcher.worthRetrying(408)).isTrue();
        assertThat(CallbackDispatcher.worthRetrying(404))
                .as("a receiver mid-deploy")
                .isTrue();
        assertThat(CallbackDispatcher.worthRetrying(400)).isFalse();
        assertThat(CallbackDispatcher.worthRetrying(401)).isFalse();
        assertThat(CallbackDispatcher.worthRetrying(410)).isFalse();
        assertThat(CallbackDispatcher.worthRetrying(422)).isFalse();
        assertThat(CallbackDispatcher.worthRetrying(302))
                .as("redirects are not followed")
                .isFalse();
    }

    @Test
    void signsTheBodyWithHmacSha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(new CallbackSigner("Jefe").sign("what do ya want for nothing?".getBytes()))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
