package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeFixture.items;
import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static ai.assay.worker.judge.JudgeStubs.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.task.JobStoppedException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-evaluation budget and cancellation. */
class JudgeBudgetAndStopTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    @BeforeEach
    void stubAnAnswer() {
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.3, "M", -1.4))));
    }

    @Test
    void aTokenBudgetStopsTheRunWithWhatWasJudgedSoFar() {
        List<JudgeResult> results = new ArrayList<>();
        JudgeService service = fixture.service(1);

        // each answer costs 121 tokens: after 3 calls (363) the budget of 300 is spent
        assertThatThrownBy(
                        () -> service.judge("test_judge", items(10), JudgeBudget.tokens(300), results::add, () -> {}))
                .isInstanceOfSatisfying(JudgeBudgetExceededException.class, e -> {
                    assertThat(e.summary().judged()).isEqualTo(3);
                    assertThat(e.summary().notJudged()).isEqualTo(7);
                    assertThat(e.summary().tokens()).isEqualTo(363);
                    assertThat(e.getMessage()).contains("300 tokens").contains("7 examples were not judged");
                });
        assertThat(results)
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.preference()).isNotNull());
        assertThat(requests(fixture.server)).isEqualTo(3);
    }

    @Test
    void aDollarBudgetCountsCostsAndCacheHitsAreFree() {
        Map<String, JudgeProperties.Price> prices =
                Map.of("judge-test", new JudgeProperties.Price(new BigDecimal("1000"), new BigDecimal("1000")));
        JudgeService service = fixture.service(1, 3, Duration.ofSeconds(5), prices);
        // $0.121 per call
        service.judge("test_judge", items(2), JudgeBudget.unlimited(), r -> {}, () -> {});

        List<JudgeResult> results = new ArrayList<>();
        assertThatThrownBy(() -> service.judge(
                        "test_judge", items(6), JudgeBudget.dollars(new BigDecimal("0.2")), results::add, () -> {}))
                .isInstanceOfSatisfying(JudgeBudgetExceededException.class, e -> {
                    assertThat(e.summary().cacheHits()).isEqualTo(2);
                    assertThat(e.summary().calls()).isEqualTo(2);
                    assertThat(e.summary().costUsd()).isEqualByComparingTo("0.242");
                    assertThat(e.summary().notJudged()).isEqualTo(2);
                });
        assertThat(results).hasSize(4);
    }

    @Test
    void aDollarBudgetWithoutAPriceIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> fixture.service(1)
                        .judge("test_judge", items(2), JudgeBudget.dollars(BigDecimal.ONE), r -> {}, () -> {}))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("needs a price for judge model judge-test");
        assertThat(requests(fixture.server)).isZero();
    }

    @Test
    void aStopEndsTheRunPromptly() {
        fixture.server.resetAll();
        fixture.server.stubFor(
                chat().willReturn(ok(logprobAnswer("m", -0.3, "M", -1.4)).withFixedDelay(200)));
        AtomicBoolean stop = new AtomicBoolean();
        List<JudgeResult> results = new ArrayList<>();

        assertThatThrownBy(() -> fixture.service(2)
                        .judge(
                                "test_judge",
                                items(40),
                                JudgeBudget.unlimited(),
                                r -> {
                                    results.add(r);
                                    stop.set(true);
                                },
                                () -> {
                                    if (stop.get()) {
                                        throw new JobStoppedException("cancelled");
                                    }
                                }))
                .isInstanceOf(JobStoppedException.class);

        assertThat(results).hasSizeBetween(1, 2);
        assertThat(requests(fixture.server)).isLessThan(10);
    }

    @Test
    void remainingBudgetSubtractsWhatAnEarlierAttemptSpent() {
        JudgeBudget left = new JudgeBudget(1000L, new BigDecimal("2.50")).remainingAfter(400, new BigDecimal("3"));

        assertThat(left.maxTokens()).isEqualTo(600);
        assertThat(left.maxCostUsd()).isEqualByComparingTo("0");
    }
}
