package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeFixture.item;
import static ai.assay.worker.judge.JudgeFixture.items;
import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.chatContaining;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.judge.cache.CachedCompletion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** An answer that gives no preference is asked again within the run, as often as the setting says, and no more. */
class JudgeReaskTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    private static final String UNPARSABLE = logprobAnswer("I", -0.3, "Both", -1.5, "The", -2.0);
    private static final String PARSABLE = logprobAnswer("m", -0.2, "M", -1.8);

    /** The first request for this item gets an answer without a preference, every later one a parsable answer. */
    private static void unparsableFirst(JudgeItem item) {
        String scenario = "first ask of " + item.exampleId();
        fixture.server.stubFor(chatContaining(item.instruction())
                .inScenario(scenario)
                .whenScenarioStateIs(STARTED)
                .willReturn(ok(UNPARSABLE))
                .willSetStateTo("asked"));
        fixture.server.stubFor(chatContaining(item.instruction())
                .inScenario(scenario)
                .whenScenarioStateIs("asked")
                .willReturn(ok(PARSABLE)));
    }

    private static int requestsFor(JudgeItem item) {
        return fixture.server
                .countRequestsMatching(postRequestedFor(urlEqualTo(JudgeStubs.PATH))
                        .withRequestBody(matchingJsonPath("$.messages[1].content", containing(item.instruction())))
                        .build())
                .getCount();
    }

    private static Map<String, JudgeResult> byExample(List<JudgeResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.item().exampleId(), Function.identity()));
    }

    @Test
    void anUnparsableAnswerIsAskedAgainInTheSameRunAndTheParsableAnswerIsKept() {
        JudgeItem item = item(3);
        unparsableFirst(item);
        List<JudgeResult> results = new ArrayList<>();

        JudgeSummary summary =
                fixture.service(1).judge("test_judge", List.of(item), JudgeBudget.unlimited(), results::add, () -> {});

        assertThat(results).as("one result per example, the re-ask's").hasSize(1);
        JudgeResult result = results.get(0);
        assertThat(result.preference()).isNotNull();
        assertThat(result.failure()).isNull();
        assertThat(result.rawCompletion().path("text").asString()).isEqualTo("m");
        assertThat(result.promptTokens())
                .as("the tokens of both asks, so a later run's budget sees them")
                .isEqualTo(240);
        assertThat(summary.calls()).isEqualTo(2);
        assertThat(summary.reasks()).isEqualTo(1);
        assertThat(summary.failed()).isZero();
        fixture.server.verify(2, postRequestedFor(urlEqualTo(JudgeStubs.PATH)));
        List<JsonNode> bodies = JudgeStubs.requestBodies(fixture.server);
        assertThat(bodies.get(1)).as("the re-ask is the identical request").isEqualTo(bodies.get(0));
        Map<String, CachedCompletion> cached = fixture.cache.find(Set.copyOf(fixture.jdbc
                .sql("SELECT cache_key FROM judge_cache")
                .query(String.class)
                .list()));
        assertThat(cached).hasSize(1);
        assertThat(cached.values()
                        .iterator()
                        .next()
                        .rawCompletion()
                        .path("text")
                        .asString())
                .as("only the parsable answer is cached")
                .isEqualTo("m");
        assertThat(cached.values().iterator().next().promptTokens())
                .as("the cache keeps what the call that produced the answer cost")
                .isEqualTo(120);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void anAnswerThatNeverParsesIsAskedAgainExactlyAsOftenAsConfigured(int reasks) {
        List<JudgeItem> items = items(3);
        fixture.server.stubFor(chat().willReturn(ok(PARSABLE)));
        fixture.server.stubFor(
                chatContaining(items.get(1).instruction()).atPriority(1).willReturn(ok(UNPARSABLE)));
        List<JudgeResult> results = new ArrayList<>();

        JudgeSummary summary = fixture.serviceWithReasks(2, reasks)
                .judge("test_judge", items, JudgeBudget.unlimited(), results::add, () -> {});

        Map<String, JudgeResult> byExample = byExample(results);
        assertThat(results).hasSize(3);
        JudgeResult missing = byExample.get("ex-1");
        assertThat(missing.preference()).isNull();
        assertThat(missing.failure()).contains("no preference");
        if (reasks > 0) {
            assertThat(missing.failure()).contains("asked " + (reasks + 1) + " times");
        }
        assertThat(missing.rawCompletion().path("text").asString()).isEqualTo("I");
        assertThat(missing.promptTokens()).isEqualTo(120 * (reasks + 1));
        assertThat(requestsFor(items.get(1))).isEqualTo(reasks + 1);
        assertThat(requestsFor(items.get(0)))
                .as("an answer that parses is never asked again")
                .isEqualTo(1);
        assertThat(requestsFor(items.get(2))).isEqualTo(1);
        fixture.server.verify(reasks + 3, postRequestedFor(urlEqualTo(JudgeStubs.PATH)));
        assertThat(byExample.get("ex-0").preference()).isNotNull();
        assertThat(byExample.get("ex-2").preference()).isNotNull();
        assertThat(summary.reasks()).isEqualTo(reasks);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.judged()).isEqualTo(2);
        assertThat(fixture.jdbc
                        .sql("SELECT count(*) FROM judge_cache")
                        .query(Long.class)
                        .single())
                .as("the unparsable answer is never cached")
                .isEqualTo(2);
    }

    @Test
    void aRefusedRequestIsNotAskedAgain() {
        JudgeItem item = item(5);
        fixture.server.stubFor(chat().willReturn(JudgeStubs.error(400)));
        List<JudgeResult> results = new ArrayList<>();

        fixture.serviceWithReasks(1, 2)
                .judge("test_judge", List.of(item), JudgeBudget.unlimited(), results::add, () -> {});

        assertThat(results.get(0).preference()).isNull();
        fixture.server.verify(1, postRequestedFor(urlEqualTo(JudgeStubs.PATH)));
    }

    @Test
    void aReaskTheBudgetStopsDeliversTheUnparsableAnswerItWouldHaveReplaced() {
        JudgeItem item = item(6);
        fixture.server.stubFor(chat().willReturn(ok(UNPARSABLE)));
        List<JudgeResult> results = new ArrayList<>();
        JudgeService service = fixture.serviceWithReasks(1, 2);

        assertThatThrownBy(() ->
                        service.judge("test_judge", List.of(item), new JudgeBudget(121L, null), results::add, () -> {}))
                .isInstanceOf(JudgeBudgetExceededException.class)
                .hasMessageContaining("1 unparsable answers were not asked again");

        fixture.server.verify(1, postRequestedFor(urlEqualTo(JudgeStubs.PATH)));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).preference()).isNull();
        assertThat(results.get(0).promptTokens()).isEqualTo(120);
    }
}
