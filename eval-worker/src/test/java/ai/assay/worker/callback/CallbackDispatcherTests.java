package ai.assay.worker.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
                    Duration.ofSeconds(1)));

    @Test
    void backsOffExponentiallyUpToTheLimit() {
        assertThat(dispatcher.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(dispatcher.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(dispatcher.backoff(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(dispatcher.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(dispatcher.backoff(60)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsRetryAfterInSecondsOrAsADate() {
        assertThat(CallbackDispatcher.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        String inAMinute =
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(CallbackDispatcher.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
        assertThat(CallbackDispatcher.retryAfter("soon")).isNull();
        assertThat(CallbackDispatcher.retryAfter(null)).isNull();
    }

    @Test
    void signsTheBodyWithHmacSha256() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertThat(new CallbackSigner("Jefe").sign("what do ya want for nothing?".getBytes()))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
