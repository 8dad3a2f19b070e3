package ai.assay.core.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * Reads how long a server asks a client to wait before the next try: {@code retry-after-ms} first (milliseconds,
 * possibly decimal; OpenAI sends it, finer than the standard header), then {@code Retry-After} (RFC 9110) as
 * (decimal) seconds or as an RFC 1123 HTTP date. Hand-written because the HTTP clients used here (the JDK's, Spring's,
 * the OpenAI SDK's) expose the header but do not parse it.
 */
public final class RetryAfter {

    private RetryAfter() {}

    /**
     * @param header a header's first value by name, null when absent (header names are case-insensitive)
     * @return the wait, never negative; null when neither header is there or readable
     */
    public static Duration from(Function<String, String> header) {
        return parse(header.apply("retry-after-ms"), header.apply("Retry-After"), Instant.now());
    }

    /**
     * @param retryAfterMs the {@code retry-after-ms} value, or null
     * @param retryAfter   the {@code Retry-After} value, or null
     * @param now          what an HTTP date is measured from
     * @return the wait, never negative (a date in the past is zero); null when neither is there or readable
     */
    public static Duration parse(String retryAfterMs, String retryAfter, Instant now) {
        if (retryAfterMs != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(retryAfterMs.trim())));
            } catch (NumberFormatException e) {
                // unreadable: Retry-After decides
            }
        }
        if (retryAfter == null || retryAfter.isBlank()) {
            return null;
        }
        String value = retryAfter.trim();
        try {
            return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException e) {
            try {
                Duration wait = Duration.between(
                        now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
