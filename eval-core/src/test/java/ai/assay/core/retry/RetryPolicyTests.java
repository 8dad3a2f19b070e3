package ai.assay.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    private final List<Duration> waits = new ArrayList<>();
    private final RetryPolicy policy = RetryPolicy.of(4, Duration.ofMillis(100), Duration.ofSeconds(1))
            .withSleeper((duration, stop) -> waits.add(duration));

    @Test
    void backoffDoublesWithEqualJitterAndIsCapped() {
        for (int i = 0; i < 200; i++) {
            assertThat(policy.waitBefore(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.waitBefore(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.waitBefore(10, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.waitBefore(Integer.MAX_VALUE, null))
                    .isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }

    @Test
    void aFixedJitterSourceGivesFixedWaits() {
        RetryPolicy lowest = policy.withJitter(() -> 0L);

        assertThat(lowest.waitBefore(1, null)).isEqualTo(Duration.ofMillis(50));
        assertThat(lowest.waitBefore(2, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.withJitter(new Random(7)).waitBefore(2, null))
                .isEqualTo(policy.withJitter(new Random(7)).waitBefore(2, null));
    }

    @Test
    void theServersRetryAfterIsHonouredUpToTheMaximum() {
        assertThat(policy.waitBefore(1, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        assertThat(policy.waitBefore(3, Duration.ZERO)).isZero();
        assertThat(policy.waitBefore(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void transientFailuresAreTriedAgainUntilTheAttemptsAreSpent() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> policy.run(
                        () -> {
                            attempts.incrementAndGet();
                            throw new TransientFailure("HTTP 503", Duration.ofMillis(300), null);
                        },
                        (last, tried) -> new IllegalStateException(last.messageAfter(tried))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("HTTP 503 (4 attempts)");
        assertThat(attempts).hasValue(4);
        assertThat(waits).containsExactly(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @Test
    void anAttemptThatSucceedsEndsTheLoop() throws InterruptedException {
        AtomicInteger attempts = new AtomicInteger();

        String result = policy.run(
                () -> {
                    if (attempts.incrementAndGet() < 3) {
                        throw new TransientFailure("timeout");
                    }
                    return "ok";
                },
                (last, tried) -> new IllegalStateException());

        assertThat(result).isEqualTo("ok");
        assertThat(waits).hasSize(2);
    }

    @Test
    void anyOtherFailureEndsTheLoopAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> policy.run(
                        () -> {
                            attempts.incrementAndGet();
                            throw new IllegalArgumentException("HTTP 400");
                        },
                        (last, tried) -> new IllegalStateException()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aStoppedRunMakesNoFurtherAttempt() {
        RunStop stop = new RunStop();
        AtomicInteger attempts = new AtomicInteger();
        RetryPolicy stopsWhileWaiting = policy.withSleeper((duration, signal) -> stop.stop());

        assertThatThrownBy(() -> stopsWhileWaiting.run(
                        () -> {
                            attempts.incrementAndGet();
                            throw new TransientFailure("HTTP 503");
                        },
                        stop,
                        (last, tried) -> new IllegalStateException()))
                .isInstanceOf(CancellationException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aStopEndsARealWaitAtOnce() throws InterruptedException {
        RunStop stop = new RunStop();
        stop.stop();

        // without the stop this would wait an hour
        Sleeper.THREAD.sleep(Duration.ofHours(1), stop);

        assertThat(stop.isStopped()).isTrue();
    }

    @Test
    void theRuleForWhatARetryMayCure() {
        assertThat(List.of(408, 409, 429, 500, 502, 503, 504))
                .allSatisfy(status -> assertThat(TransientFailure.isTransientStatus(status))
                        .as("HTTP %d", status)
                        .isTrue());
        assertThat(List.of(200, 301, 400, 401, 403, 404, 410, 422))
                .allSatisfy(status -> assertThat(TransientFailure.isTransientStatus(status))
                        .as("HTTP %d", status)
                        .isFalse());
    }
}
