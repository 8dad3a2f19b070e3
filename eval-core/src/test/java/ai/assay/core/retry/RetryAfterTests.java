package ai.assay.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTests {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void readsRetryAfterInSecondsOrAsADate() {
        assertThat(RetryAfter.parse(null, "7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(null, "1.5", NOW)).isEqualTo(Duration.ofMillis(1500));
        String inAMinute = ZonedDateTime.ofInstant(NOW.plusSeconds(60), ZoneOffset.UTC)
                .format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.parse(null, inAMinute, NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse(null, "soon", NOW)).isNull();
        assertThat(RetryAfter.parse(null, null, NOW)).isNull();
    }

    @Test
    void retryAfterMillisecondsWinOverRetryAfter() {
        assertThat(RetryAfter.parse("1500", "2", NOW)).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("not a number", "2", NOW)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aDateInThePastOrANegativeNumberIsNoWait() {
        String aMinuteAgo = ZonedDateTime.ofInstant(NOW.minusSeconds(60), ZoneOffset.UTC)
                .format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.parse(null, aMinuteAgo, NOW)).isZero();
        assertThat(RetryAfter.parse("-5", null, NOW)).isZero();
    }

    @Test
    void readsTheHeadersByName() {
        Map<String, String> headers = Map.of("Retry-After", "3");

        assertThat(RetryAfter.from(headers::get)).isEqualTo(Duration.ofSeconds(3));
        assertThat(RetryAfter.from(name -> null)).isNull();
    }
}
