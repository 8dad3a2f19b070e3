package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeFixture.item;
import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.chatContaining;
import static ai.assay.worker.judge.JudgeStubs.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.retry.Sleeper;
import ai.assay.worker.task.JobStoppedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nothing of a judging run goes on once {@code judge} has returned or thrown: no request, no retry, no thread. */
class JudgeStopTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    @Test
    void aRunThatFailsMakesNoRequestAfterItEnds() {
        JudgeItem refused = item(0);
        JudgeItem failing = item(1);
        CountDownLatch retrying = new CountDownLatch(1);
        // the 401 is answered only once the other item is in its retries
        fixture.holdGatedAnswersUntil(retrying);
        fixture.server.stubFor(
                chatContaining(refused.instruction()).willReturn(error(401).withTransformers(JudgeFixture.Gate.NAME)));
        fixture.server.stubFor(
                chatContaining(failing.instruction()).willReturn(error(503).withTransformers(JudgeFixture.Tally.NAME)));
        Sleeper recording = fixture.recordingSleeper();
        Sleeper sleeper = (duration, stop) -> {
            recording.sleep(duration, stop);
            retrying.countDown();
        };
        JudgeService service = fixture.service(2, 1000, Duration.ofSeconds(10), Map.of(), sleeper);

        assertThatThrownBy(() -> service.judge(
                        "test_judge", List.of(refused, failing), JudgeBudget.unlimited(), r -> {}, () -> {}))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("401");

        int waitsAtReturn = fixture.waits.size();
        // no thread of the run is left to wait or send anything
        assertThat(fixture.liveJudgeThreads()).isEmpty();
        // the 401 was answered only after a retry wait began
        assertThat(waitsAtReturn).isGreaterThanOrEqualTo(1);
        // every 503 after the first follows a retry wait, and no wait can begin after the return. The stub's tally
        // is an upper bound, not an equality: WireMock may count a request sent just before the return a moment
        // after it (this once failed the test with 2 against 1 at the return)
        assertThat(fixture.waits).hasSize(waitsAtReturn);
        assertThat(fixture.tallied()).isBetween(0, waitsAtReturn + 1);
    }

    @Test
    void aCancelledRunStopsDuringARetryWait() {
        fixture.server.stubFor(chat().willReturn(error(503).withTransformers(JudgeFixture.Tally.NAME)));
        CountDownLatch waiting = new CountDownLatch(1);
        List<Duration> asked = new ArrayList<>();
        // a wait far longer than the test: it ends only because the run's stop ends it
        Sleeper longWait = (duration, stop) -> {
            asked.add(duration);
            waiting.countDown();
            stop.await(Duration.ofMinutes(10));
        };
        JudgeService service = fixture.service(1, 1000, Duration.ofSeconds(10), Map.of(), longWait);

        assertThatThrownBy(() -> service.judge("test_judge", List.of(item(0)), JudgeBudget.unlimited(), r -> {}, () -> {
                    if (waiting.getCount() == 0) {
                        throw new JobStoppedException("cancelled");
                    }
                }))
                .isInstanceOf(JobStoppedException.class);

        assertThat(fixture.liveJudgeThreads()).isEmpty();
        assertThat(asked).hasSize(1);
        assertThat(fixture.tallied()).isEqualTo(1);
    }
}
