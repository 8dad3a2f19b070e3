package ai.assay.worker.judge;

import static ai.assay.worker.judge.JudgeFixture.item;
import static ai.assay.worker.judge.JudgeFixture.items;
import static ai.assay.worker.judge.JudgeFixture.switched;
import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.chatContaining;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static ai.assay.worker.judge.JudgeStubs.requests;
import static ai.assay.worker.judge.JudgeStubs.textAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.results.NewJudgment;
import ai.assay.worker.judge.annotator.Annotator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Judging against a WireMock judge and the judge cache in PostgreSQL: parsing, output order, caching, failures. */
class JudgeServiceTests {

    @RegisterExtension
    static final JudgeFixture fixture = new JudgeFixture();

    /** Stubs example i's answer: P(m) from log-probabilities that differ per example. */
    private static double stubLogprobs(JudgeItem item, int i) {
        double logprobM = -0.05 * (i + 1);
        double logprobUpper = -0.4 * (i % 5) - 0.2;
        fixture.server.stubFor(chatContaining(item.instruction())
                .willReturn(ok(logprobAnswer("m", logprobM, "M", logprobUpper, "mm", -6.0))));
        double pFirst = Math.exp(logprobM) / (Math.exp(logprobM) + Math.exp(logprobUpper));
        return 2 - pFirst;
    }

    private static List<JudgeResult> judge(JudgeService service, String annotator, List<JudgeItem> items) {
        List<JudgeResult> results = new ArrayList<>();
        service.judge(annotator, items, JudgeBudget.unlimited(), results::add, () -> {});
        return results;
    }

    private static Map<String, JudgeResult> byExample(List<JudgeResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.item().exampleId(), Function.identity()));
    }

    @Test
    void parsesLogprobPreferencesAndMapsTheOutputOrderBack() {
        List<JudgeItem> items = items(12);
        Map<String, Double> shown = new java.util.HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            shown.put(items.get(i).exampleId(), stubLogprobs(items.get(i), i));
        }

        List<JudgeResult> results = judge(fixture.service(4), "test_judge", items);

        assertThat(results).hasSize(12);
        assertThat(results.stream().filter(r -> r.modelShownFirst()).count())
                .as("the seeded rule switches some examples and not others")
                .isBetween(1L, 11L);
        for (JudgeResult result : results) {
            JudgeItem item = result.item();
            double inShownOrder = shown.get(item.exampleId());
            assertThat(result.modelShownFirst()).isEqualTo(switched(item));
            assertThat(result.preference()).isCloseTo(switched(item) ? 3 - inShownOrder : inShownOrder, within(1e-12));
            assertThat(result.cacheHit()).isFalse();
            assertThat(result.failure()).isNull();
            assertThat(result.promptTokens()).isEqualTo(120);
            assertThat(result.completionTokens()).isEqualTo(1);
            assertThat(result.latencyMillis()).isNotNull();
            assertThat(result.rawCompletion()
                            .path("logprobs")
                            .path("content")
                            .get(0)
                            .path("top_logprobs")
                            .get(0)
                            .path("token")
                            .asString())
                    .isEqualTo("m");
            assertThat(result.rawCompletion().path("text").asString()).isEqualTo("m");
            assertThat(result.rawCompletion().path("total_tokens").asInt()).isEqualTo(121);

            NewJudgment row = result.toNewJudgment();
            assertThat(row.output1()).isEqualTo(item.referenceOutput());
            assertThat(row.output2()).isEqualTo(item.modelOutput());
            assertThat(row.generator1()).isEqualTo("reference-gen");
            assertThat(row.annotator()).isEqualTo("test_judge");
            assertThat(row.modelShownFirst()).isEqualTo(result.modelShownFirst());
        }
        assertThat(requests(fixture.server)).isEqualTo(12);
    }

    @Test
    void sendsTheRenderedPromptAsChatMessagesWithTheConfigsRequestFields() {
        JudgeItem item = item(3);
        stubLogprobs(item, 3);

        judge(fixture.service(1), "test_judge", List.of(item));

        JsonNode body = JudgeStubs.requestBodies(fixture.server).get(0);
        String first = switched(item) ? item.modelOutput() : item.referenceOutput();
        String second = switched(item) ? item.referenceOutput() : item.modelOutput();
        assertThat(body.path("model").asString()).isEqualTo("judge-test");
        assertThat(body.path("messages").size()).isEqualTo(2);
        assertThat(body.path("messages").get(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").get(0).path("content").asString())
                .isEqualTo("You compare two answers to the same request and say which one a careful reader would"
                        + " prefer.");
        assertThat(body.path("messages").get(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("messages").get(1).path("content").asString())
                .isEqualTo("Request:\n"
                        + item.instruction() + "\n\nAnswer m:\n" + first + "\n\nAnswer M:\n" + second
                        + "\n\nReply with the letter of the better answer, m or M, and nothing else.");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1);
        assertThat(body.path("temperature").asDouble()).isEqualTo(1.0);
        assertThat(body.path("top_p").asDouble()).isEqualTo(1.0);
        assertThat(body.path("logprobs").asBoolean()).isTrue();
        assertThat(body.path("top_logprobs").asInt()).isEqualTo(5);
    }

    @Test
    void judgingTheSameOutputsAgainMakesNoCallEvenForAnotherModelName() {
        List<JudgeItem> items = items(6);
        for (int i = 0; i < items.size(); i++) {
            stubLogprobs(items.get(i), i);
        }
        JudgeService service = fixture.service(3);
        Map<String, JudgeResult> first = byExample(judge(service, "test_judge", items));
        int callsAfterFirstRun = requests(fixture.server);

        List<JudgeItem> sameOutputsOtherGenerator = items.stream()
                .map(i -> new JudgeItem(
                        i.exampleId(),
                        i.instruction(),
                        i.referenceOutput(),
                        i.referenceGenerator(),
                        i.modelOutput(),
                        "another-model"))
                .toList();
        Map<String, JudgeResult> second = byExample(judge(service, "test_judge", sameOutputsOtherGenerator));

        assertThat(callsAfterFirstRun).isEqualTo(6);
        assertThat(requests(fixture.server))
                .as("no judge call on the second run")
                .isEqualTo(6);
        assertThat(second.values()).allMatch(JudgeResult::cacheHit);
        for (String id : first.keySet()) {
            assertThat(second.get(id).preference()).isEqualTo(first.get(id).preference());
            assertThat(second.get(id).modelShownFirst()).isEqualTo(first.get(id).modelShownFirst());
            assertThat(second.get(id).promptTokens()).isEqualTo(120);
            assertThat(second.get(id).latencyMillis()).isEqualTo(first.get(id).latencyMillis());
            assertThat(second.get(id).rawCompletion()).isEqualTo(first.get(id).rawCompletion());
            assertThat(second.get(id).toNewJudgment().generator2()).isEqualTo("another-model");
            assertThat(second.get(id).toNewJudgment().latencyMillis())
                    .as("a hit stores no latency")
                    .isNull();
            assertThat(first.get(id).toNewJudgment().latencyMillis())
                    .isEqualTo(first.get(id).latencyMillis());
        }
        assertThat(fixture.jdbc
                        .sql("SELECT sum(hits) FROM judge_cache")
                        .query(Long.class)
                        .single())
                .isEqualTo(6);
        assertThat(fixture.jdbc
                        .sql("SELECT count(*) FROM judge_cache WHERE latency_ms IS NOT NULL")
                        .query(Long.class)
                        .single())
                .isEqualTo(6);
    }

    @Test
    void aChangedOutputOrConfigIsNotACacheHit() {
        JudgeItem item = item(1);
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.1, "M", -2.0))));
        JudgeService service = fixture.service(1);
        judge(service, "test_judge", List.of(item));

        JudgeItem edited = new JudgeItem(
                item.exampleId(),
                item.instruction(),
                item.referenceOutput(),
                item.referenceGenerator(),
                item.modelOutput() + " More.",
                item.modelGenerator());
        Annotator otherModel = withModel(service.annotator("test_judge"), "judge-test-2");
        List<JudgeResult> results = new ArrayList<>();
        service.judge(otherModel, List.of(item), JudgeBudget.unlimited(), results::add, () -> {});
        judge(service, "test_judge", List.of(edited)).forEach(results::add);

        assertThat(results).noneMatch(JudgeResult::cacheHit);
        assertThat(requests(fixture.server)).isEqualTo(3);
    }

    private static Annotator withModel(Annotator a, String model) {
        return new Annotator(
                a.name(),
                a.configKey(),
                a.source(),
                a.template(),
                model,
                a.requestParams(),
                a.stripPrompt(),
                a.parser(),
                a.completionKey(),
                a.randomizeOutputOrder(),
                a.pricePerToken(),
                a.configHash() + "-" + model);
    }

    @Test
    void anUnparsableAnswerIsAFailureWithItsTextAndIsAskedAgainNextRun() {
        JudgeItem item = item(2);
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("I", -0.3, "Both", -1.5, "The", -2.0))));
        JudgeService service = fixture.service(1);

        JudgeResult failed = judge(service, "test_judge", List.of(item)).get(0);

        assertThat(failed.preference()).isNull();
        assertThat(failed.failed()).isTrue();
        assertThat(failed.failure()).contains("no preference");
        assertThat(failed.rawCompletion().path("text").asString()).isEqualTo("I");
        assertThat(failed.toNewJudgment().preference()).isNull();
        assertThat(failed.toNewJudgment().rawCompletion()).isEqualTo(failed.rawCompletion());
        assertThat(fixture.jdbc
                        .sql("SELECT count(*) FROM judge_cache")
                        .query(Long.class)
                        .single())
                .isZero();

        fixture.server.resetAll();
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("M", -0.1, "m", -2.5))));
        JudgeResult retried = judge(service, "test_judge", List.of(item)).get(0);

        assertThat(requests(fixture.server)).isEqualTo(1);
        assertThat(retried.preference()).isNotNull();
        assertThat(retried.cacheHit()).isFalse();
    }

    @Test
    void anAnswerWithoutLogprobsOrWithGarbageTextIsAFailureNotATie() {
        List<JudgeItem> items = items(2);
        fixture.server.stubFor(chatContaining(items.get(0).instruction()).willReturn(ok(textAnswer("m"))));
        fixture.server.stubFor(
                chatContaining(items.get(1).instruction()).willReturn(ok(textAnswer("As an AI, I cannot choose."))));

        List<JudgeResult> results = judge(fixture.service(2), "test_judge", items);

        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.preference()).isNull();
            assertThat(r.rawCompletion().path("text").asString()).isNotEmpty();
        });
    }

    @Test
    void rankingJudgesParseTheAnswerText() {
        JudgeItem item = item(7);
        fixture.server.stubFor(chat().willReturn(
                        ok(textAnswer("[{'model': 'model_2', 'rank': 1}, {'model': 'model_1', 'rank': 2}]"))));

        JudgeResult result =
                judge(fixture.service(1), "test_ranking", List.of(item)).get(0);

        // model_1 (shown first) ranked 2: in shown order the second is better
        assertThat(result.preference()).isEqualTo(switched(item) ? 1.0 : 2.0);
        JsonNode body = JudgeStubs.requestBodies(fixture.server).get(0);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(body.path("temperature").asInt()).isZero();
        assertThat(body.has("logprobs")).isFalse();
    }

    @Test
    void identicalOutputsAreATieWithoutACall() {
        JudgeItem same = new JudgeItem("same", "Say hi.", "Hi!", "reference-gen", "Hi!", "model-gen");

        JudgeResult result =
                judge(fixture.service(1), "test_judge", List.of(same)).get(0);

        assertThat(result.preference()).isEqualTo(1.5);
        assertThat(result.rawCompletion()).isNull();
        assertThat(requests(fixture.server)).isZero();
    }

    @Test
    void duplicateExamplesAreJudgedOnce() {
        JudgeItem item = item(4);
        JudgeItem duplicate =
                new JudgeItem("ex-4-again", item.instruction(), item.referenceOutput(), "r", item.modelOutput(), "m");
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.2, "M", -1.8))));

        List<JudgeResult> results = judge(fixture.service(2), "test_judge", List.of(item, duplicate));

        assertThat(results).hasSize(2);
        assertThat(results.get(0).preference()).isEqualTo(results.get(1).preference());
        assertThat(requests(fixture.server)).isEqualTo(1);
    }

    @Test
    void aRefusedRequestFailsOnlyThatExample() {
        List<JudgeItem> items = items(3);
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.2, "M", -1.8))));
        fixture.server.stubFor(chatContaining(items.get(1).instruction()).willReturn(JudgeStubs.error(400)));

        Map<String, JudgeResult> results = byExample(judge(fixture.service(2), "test_judge", items));

        assertThat(results.get("ex-1").preference()).isNull();
        assertThat(results.get("ex-1")
                        .rawCompletion()
                        .path("error")
                        .path("status")
                        .asInt())
                .isEqualTo(400);
        assertThat(results.get("ex-0").preference()).isNotNull();
        assertThat(results.get("ex-2").preference()).isNotNull();
        assertThat(requests(fixture.server)).as("a 400 is not retried").isEqualTo(3);
    }

    @Test
    void costsComeFromThePriceTable() {
        JudgeItem item = item(5);
        fixture.server.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.2, "M", -1.8))));
        JudgeService priced = fixture.service(
                1,
                3,
                java.time.Duration.ofSeconds(5),
                Map.of(
                        "judge-",
                        new JudgeProperties.Price(new java.math.BigDecimal("2.00"), new java.math.BigDecimal("8.00"))));

        JudgeResult result = judge(priced, "test_judge", List.of(item)).get(0);

        // 120 prompt tokens at $2/M + 1 completion token at $8/M
        assertThat(result.costUsd()).isEqualByComparingTo("0.000248");
        assertThat(fixture.jdbc
                        .sql("SELECT cost_usd FROM judge_cache")
                        .query(java.math.BigDecimal.class)
                        .single())
                .isEqualByComparingTo("0.000248");
    }
}
