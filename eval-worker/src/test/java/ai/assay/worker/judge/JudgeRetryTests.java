package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeFixture.items;
import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.error;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static ai.assay.worker.judge.JudgeStubs.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** 429 storms, server errors, timeouts and refused keys against a WireMock judge. */
class JudgeRetryTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    /** The first {@code failures} requests get {@code failure}, every later one a parsable answer. */
    private static void failFirst(int failures, ResponseDefinitionBuilder failure) {
        fixture.failFirst(failures, failure);
        fixture.server.stubFor(chat().willReturn(
                        ok(logprobAnswer("m", -0.3, "M", -1.4)).withTransformers(JudgeFixture.FailFirst.NAME)));
    }

    private static List<JudgeResult> judge(JudgeService service, int items) {
        List<JudgeResult> results = new ArrayList<>();
        service.judge("test_judge", items(items), JudgeBudget.unlimited(), results::add, () -> {});
        return results;
    }

    @Test
    void aStormOf429sIsWaitedOutHonouringRetryAfter() {
        failFirst(25, error(429).withHeader("Retry-After", "2"));

        List<JudgeResult> results = judge(fixture.service(4, 20, Duration.ofSeconds(5), Map.of()), 10);

        assertThat(results)
                .hasSize(10)
                .allSatisfy(r -> assertThat(r.preference()).isNotNull());
        int calls = requests(fixture.server);
        assertThat(calls).isGreaterThanOrEqualTo(35);
        assertThat(fixture.waits).hasSize(calls - 10).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterMillisecondsWinAndLongWaitsAreCapped() {
        failFirst(1, error(429).withHeader("retry-after-ms", "1500").withHeader("Retry-After", "2"));
        judge(fixture.service(1), 1);
        fixture.reset();
        failFirst(1, error(429).withHeader("Retry-After", "3600"));
        judge(fixture.service(1), 1);

        assertThat(fixture.waits).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void serverErrorsAreRetriedWithExponentialBackoff() {
        failFirst(3, error(503));

        List<JudgeResult> results = judge(fixture.service(1), 1);

        assertThat(results.get(0).preference()).isNotNull();
        assertThat(requests(fixture.server)).isEqualTo(4);
        assertThat(fixture.waits).hasSize(3);
        // initial backoff 100 ms, doubling, each with half of it random
        assertThat(fixture.waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(fixture.waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(fixture.waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void aTimedOutRequestIsRetried() {
        fixture.server.stubFor(chat().inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("fast")
                .willReturn(ok(logprobAnswer("M", -0.2, "m", -1.9)).withFixedDelay(3000)));
        fixture.server.stubFor(chat().inScenario("slow")
                .whenScenarioStateIs("fast")
                .willReturn(ok(logprobAnswer("M", -0.2, "m", -1.9))));

        List<JudgeResult> results = judge(fixture.service(1, 3, Duration.ofMillis(400), Map.of()), 1);

        assertThat(results.get(0).preference()).isNotNull();
        assertThat(requests(fixture.server)).isEqualTo(2);
        assertThat(fixture.waits).hasSize(1);
    }

    @Test
    void aJudgeThatKeepsFailingEndsTheRunWithAClearError() {
        fixture.server.stubFor(chat().willReturn(error(502)));

        assertThatThrownBy(() -> judge(fixture.service(1, 3, Duration.ofSeconds(5), Map.of()), 1))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("failed 3 times")
                .hasMessageContaining("HTTP 502");
        assertThat(requests(fixture.server)).isEqualTo(3);
    }

    @Test
    void aRefusedKeyEndsTheRunAtOnceAndTheKeyIsNotInTheMessage() {
        fixture.server.stubFor(chat().willReturn(error(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key" + " provided: " + JudgeFixture.API_KEY
                        + "\",\"type\":\"invalid_request_error\"}}")));

        assertThatThrownBy(() -> judge(fixture.service(2), 3))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("assay.judge.base-url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(JudgeFixture.API_KEY));
        assertThat(requests(fixture.server)).isLessThanOrEqualTo(2);
    }

    @Test
    void anAnswerTheSdkRejectsFailsThatExample() {
        fixture.server.stubFor(chat().willReturn(ok("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,"
                + "\"model\":\"judge-test\",\"choices\":\"not a list\"}")));

        JudgeResult result = judge(fixture.service(1), 1).get(0);

        assertThat(result.preference()).isNull();
        assertThat(result.failure()).contains("not a chat completion");
        assertThat(requests(fixture.server)).isEqualTo(1);
    }
}
