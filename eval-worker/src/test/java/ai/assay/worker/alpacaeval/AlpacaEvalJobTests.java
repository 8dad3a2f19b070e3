package ai.assay.worker.alpacaeval;

import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.chatContaining;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static ai.assay.worker.judge.JudgeStubs.requests;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationTask;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.RunState;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.judging.OutputOrder;
import ai.assay.worker.WorkerIntegrationTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The alpaca_eval task with pre-generated outputs (no model) and a WireMock judge: from submission to stored
 * judgments and metrics, a second run that makes no judge call, and unparsable answers asked again within the run
 * ({@value #REASKS} times, not the default, so that the counts show the setting is used).
 */
class AlpacaEvalJobTests extends WorkerIntegrationTest {

    private static final int LIMIT = 40;
    private static final double LOGPROB_M = -0.3;
    private static final double LOGPROB_UPPER_M = -1.4;
    private static final int REASKS = 3;
    private static final String UNPARSABLE = logprobAnswer("x", -0.1, "y", -2.0);
    private static final WireMockServer judge = new WireMockServer(options().dynamicPort());

    static {
        judge.start();
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("assay.judge.base-url", () -> "http://127.0.0.1:" + judge.port() + "/v1");
        registry.add("assay.judge.api-key", () -> "test-key");
        registry.add("assay.judge.annotators-dir", () -> "src/test/resources/judge/evaluators_configs");
        registry.add("assay.judge.offline", () -> "true");
        registry.add("assay.judge.unparsable-reasks", () -> Integer.toString(REASKS));
        registry.add(
                "assay.alpaca-eval.data-dir",
                () -> AlpacaEvalFixtures.dataDirectory().toString());
        registry.add("assay.datasets.offline", () -> "true");
        registry.add("assay.lmeval.offline", () -> "true");
    }

    @AfterAll
    static void stopJudge() {
        judge.stop();
    }

    @BeforeEach
    void answerEveryComparisonTheSameWay() {
        judge.resetAll();
        judge.stubFor(chat().willReturn(ok(logprobAnswer("m", LOGPROB_M, "M", LOGPROB_UPPER_M))));
        jdbc.sql("TRUNCATE evaluation, judge_cache CASCADE").update();
    }

    /** The first LIMIT answers of alpaca-7b, one instruction left out and one that is not AlpacaEval's. */
    private static String outputs() {
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("alpaca-7b");
        ArrayNode outputs = AlpacaEvalFixtures.MAPPER.createArrayNode();
        for (int i = 0; i < LIMIT; i++) {
            if (i != 7) {
                outputs.addObject()
                        .put(
                                "instruction",
                                annotations.get(i).get("instruction").stringValue())
                        .put("output", annotations.get(i).get("output_2").stringValue())
                        .put("generator", "alpaca-7b");
            }
        }
        outputs.addObject().put("instruction", "Not an AlpacaEval instruction").put("output", "x");
        return outputs.toString();
    }

    private UUID submit() {
        return jobs.submit("{\"name\":\"alpaca_eval\",\"annotator\":\"test_judge\",\"limit\":" + LIMIT + ",\"outputs\":"
                + outputs() + "}");
    }

    private static String instruction(int index) {
        return AlpacaEvalFixtures.annotationsJson("alpaca-7b")
                .get(index)
                .get("instruction")
                .stringValue();
    }

    /** The win rate alpaca_eval gives when every judged example gets the stubbed answer, without {@code left}. */
    private static double expectedWinRate(Set<Integer> left) {
        double pShownFirst = Math.exp(LOGPROB_M) / (Math.exp(LOGPROB_M) + Math.exp(LOGPROB_UPPER_M));
        double sum = 0;
        int n = 0;
        for (int i = 0; i < LIMIT; i++) {
            if (i == 7 || left.contains(i)) {
                continue;
            }
            double preference = OutputOrder.isSwitched(instruction(i)) ? 3 - (2 - pShownFirst) : 2 - pShownFirst;
            sum += preference - 1;
            n++;
        }
        return 100 * sum / n;
    }

    private static Map<String, MetricValue> metrics(EvaluationTask task) {
        Map<String, MetricValue> metrics = new HashMap<>();
        task.metrics().forEach(m -> metrics.put(m.metric(), m));
        return metrics;
    }

    /** The stored preference of one example (null: stored without one). */
    private Double storedPreference(UUID evaluation, int example) {
        List<Double> rows = jdbc.sql("""
                SELECT j.preference FROM judgment j JOIN evaluation_task t ON t.id = j.task_id
                 WHERE t.evaluation_id = :id AND j.example_id = :example""")
                .param("id", evaluation)
                .param("example", Integer.toString(example))
                .query(Double.class)
                .list();
        assertThat(rows).as("judgments of example %d", example).hasSize(1);
        return rows.get(0);
    }

    private static int requestsFor(int example) {
        return judge.countRequestsMatching(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                        .withRequestBody(matchingJsonPath("$.messages[1].content", containing(instruction(example))))
                        .build())
                .getCount();
    }

    @Test
    void anUnparsableFirstAnswerIsAskedAgainAndJudgedWithinTheSameRun() {
        for (int example : List.of(3, 11)) {
            String scenario = "first ask of " + example;
            judge.stubFor(chatContaining(instruction(example))
                    .atPriority(1)
                    .inScenario(scenario)
                    .whenScenarioStateIs(STARTED)
                    .willReturn(ok(UNPARSABLE))
                    .willSetStateTo("asked"));
        }

        Evaluation done = jobs.awaitEnd(submit(), Duration.ofSeconds(60));

        assertThat(done.state()).as(String.valueOf(done)).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).as("one run").isEqualTo(1);
        EvaluationTask task = done.tasks().get(0);
        Map<String, MetricValue> metrics = metrics(task);
        assertThat(storedPreference(done.id(), 3)).isNotNull();
        assertThat(storedPreference(done.id(), 11)).isNotNull();
        assertThat(requestsFor(3)).isEqualTo(2);
        assertThat(requestsFor(11)).isEqualTo(2);
        assertThat(requests(judge)).isEqualTo(LIMIT - 1 + 2);
        assertThat(metrics.get("n_total").value()).isEqualTo(LIMIT - 1);
        assertThat(metrics.get("n_missing").value()).isZero();
        assertThat(metrics.get("win_rate").value()).isCloseTo(expectedWinRate(Set.of()), within(1e-9));
        assertThat(task.result().get("warnings")).isEmpty();
        assertThat(task.result().get("judge").get("reasks").intValue()).isEqualTo(2);
        assertThat(task.result().get("judge").get("calls").intValue()).isEqualTo(LIMIT - 1 + 2);
    }

    @Test
    void answersThatNeverParseLeaveTheirExamplesMissingAndTheTaskSaysSo() {
        for (int example : List.of(3, 11)) {
            judge.stubFor(chatContaining(instruction(example)).atPriority(1).willReturn(ok(UNPARSABLE)));
        }

        Evaluation done = jobs.awaitEnd(submit(), Duration.ofSeconds(60));

        assertThat(done.state()).as(String.valueOf(done)).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        EvaluationTask task = done.tasks().get(0);
        Map<String, MetricValue> metrics = metrics(task);
        assertThat(metrics.get("n_missing").value()).isEqualTo(2);
        assertThat(metrics.get("n_missing").n()).isEqualTo(LIMIT - 1);
        assertThat(metrics.get("n_total").value()).isEqualTo(LIMIT - 3);
        assertThat(metrics.get("win_rate").value())
                .as("the win rate over the other examples, as alpaca_eval leaves out missing preferences")
                .isCloseTo(expectedWinRate(Set.of(3, 11)), within(1e-9));
        assertThat(storedPreference(done.id(), 3)).isNull();
        judge.verify(
                1 + REASKS,
                postRequestedFor(urlEqualTo("/v1/chat/completions"))
                        .withRequestBody(matchingJsonPath("$.messages[1].content", containing(instruction(3)))));
        assertThat(requestsFor(11)).isEqualTo(1 + REASKS);
        assertThat(requests(judge)).isEqualTo(LIMIT - 1 + 2 * REASKS);
        JsonNode warnings = task.result().get("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).stringValue())
                .contains("n_missing = 2")
                .contains("2 judge answers could not be parsed after " + REASKS + " re-asks")
                .contains("examples 3, 11");
        assertThat(task.result().get("unparsedJudgments").intValue()).isEqualTo(2);
    }

    /**
     * The judge drill: the judge answers a storm of 429s (with Retry-After) and 5xxs before it answers at all, and
     * the run ends as a calm one does, with each example judged once.
     */
    @Test
    void aStormOf429sAnd5xxsEndsWithEveryExampleJudgedOnceAndTheMetricsOfACalmRun() {
        Evaluation calm = jobs.awaitEnd(submit(), Duration.ofSeconds(60));
        jdbc.sql("TRUNCATE evaluation, judge_cache CASCADE").update();
        judge.resetAll();
        judge.stubFor(chat().willReturn(ok(logprobAnswer("m", LOGPROB_M, "M", LOGPROB_UPPER_M))));
        int storm = 24;
        for (int i = 0; i < storm; i++) {
            ResponseDefinitionBuilder failure = switch (i % 3) {
                case 0 -> aResponse().withStatus(429).withHeader("Retry-After", "1");
                case 1 -> aResponse().withStatus(503);
                default -> aResponse().withStatus(500);
            };
            judge.stubFor(chat().inScenario("storm")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failure " + i)
                    .willSetStateTo("failure " + (i + 1))
                    .willReturn(failure));
        }

        Evaluation stormy = jobs.awaitEnd(submit(), Duration.ofSeconds(120));

        assertThat(stormy.state()).as(String.valueOf(stormy)).isEqualTo(RunState.SUCCEEDED);
        assertThat(stormy.tasks().get(0).metrics())
                .isEqualTo(calm.tasks().get(0).metrics());
        // WireMock moves a scenario on per request, but two concurrent requests may both get the failure of one
        // state: at least the storm's 24 failures were answered, and each example once
        assertThat(requests(judge)).isGreaterThanOrEqualTo(LIMIT - 1 + storm);
        assertThat(jdbc.sql("""
                        SELECT count(*), count(DISTINCT j.example_id) FROM judgment j
                          JOIN evaluation_task t ON t.id = j.task_id WHERE t.evaluation_id = :id""")
                        .param("id", stormy.id())
                        .query((rs, row) -> List.of(rs.getLong(1), rs.getLong(2)))
                        .single())
                .containsExactly((long) LIMIT - 1, (long) LIMIT - 1);
    }

    @Test
    void judgesPreGeneratedOutputsAndScoresThemAsAlpacaEvalDoes() {
        Evaluation done = jobs.awaitEnd(submit(), Duration.ofSeconds(60));

        assertThat(done.state()).as(String.valueOf(done)).isEqualTo(RunState.SUCCEEDED);
        EvaluationTask task = done.tasks().get(0);
        Map<String, MetricValue> metrics = new HashMap<>();
        task.metrics().forEach(m -> metrics.put(m.metric(), m));
        assertThat(metrics.get("n_total").value()).isEqualTo(LIMIT - 1);
        assertThat(requests(judge)).isEqualTo(LIMIT - 1);

        double pShownFirst = Math.exp(LOGPROB_M) / (Math.exp(LOGPROB_M) + Math.exp(LOGPROB_UPPER_M));
        JsonNode annotations = AlpacaEvalFixtures.annotationsJson("alpaca-7b");
        double sum = 0;
        for (int i = 0; i < LIMIT; i++) {
            if (i == 7) {
                continue;
            }
            boolean switched =
                    OutputOrder.isSwitched(annotations.get(i).get("instruction").stringValue());
            double preference = switched ? 3 - (2 - pShownFirst) : 2 - pShownFirst;
            sum += preference - 1;
            Double stored = jdbc.sql("""
                    SELECT j.preference FROM judgment j JOIN evaluation_task t ON t.id = j.task_id
                     WHERE t.evaluation_id = :id AND j.example_id = :example""")
                    .param("id", done.id())
                    .param("example", Integer.toString(i))
                    .query(Double.class)
                    .single();
            assertThat(stored).as("example %d", i).isCloseTo(preference, within(1e-12));
        }
        assertThat(metrics.get("win_rate").value()).isCloseTo(100 * sum / (LIMIT - 1), within(1e-9));
        assertThat(metrics.get("length_controlled_winrate").value()).isBetween(0.0, 100.0);
        assertThat(metrics.get("length_controlled_winrate").stderr()).isNotNull();

        JsonNode join = task.result().get("outputsJoin");
        assertThat(join.get("matched").intValue()).isEqualTo(LIMIT - 1);
        assertThat(join.get("missing").intValue()).isEqualTo(1);
        assertThat(join.get("firstMissingIndexes").get(0).intValue()).isEqualTo(7);
        assertThat(join.get("unknownInstructions").intValue()).isEqualTo(1);
        assertThat(task.result().get("judge").get("calls").intValue()).isEqualTo(LIMIT - 1);
    }

    @Test
    void aSecondEvaluationOfTheSameOutputsMakesNoJudgeCall() {
        Evaluation first = jobs.awaitEnd(submit(), Duration.ofSeconds(60));
        int callsAfterFirst = requests(judge);

        Evaluation second = jobs.awaitEnd(submit(), Duration.ofSeconds(60));

        assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(requests(judge)).isEqualTo(callsAfterFirst);
        assertThat(second.tasks().get(0).metrics())
                .isEqualTo(first.tasks().get(0).metrics());
        assertThat(second.tasks().get(0).result().get("judge").get("cacheHits").intValue())
                .isEqualTo(LIMIT - 1);
    }

    @Test
    void judgingStopsAtTheBudgetWithAClearError() {
        UUID id = jobs.submit("{\"name\":\"alpaca_eval\",\"annotator\":\"test_judge\",\"limit\":" + LIMIT
                + ",\"budget\":{\"maxTokens\":600},\"outputs\":" + outputs() + "}");

        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(done.state()).isEqualTo(RunState.FAILED);
        assertThat(done.tasks().get(0).error()).containsIgnoringCase("budget");
        long stored = jdbc.sql("SELECT count(*) FROM judgment WHERE preference IS NOT NULL")
                .query(Long.class)
                .single();
        assertThat(stored)
                .as("what was judged before the budget ran out is kept")
                .isBetween(5L, (long) LIMIT - 2);
    }

    @Test
    void unparsableAnswersAreFailuresAskedAgainOnTheNextRun() {
        judge.resetAll();
        judge.stubFor(chat().willReturn(ok(UNPARSABLE)));

        Evaluation done = jobs.awaitEnd(submit(), Duration.ofSeconds(60));

        assertThat(done.state()).isEqualTo(RunState.FAILED);
        assertThat(done.tasks().get(0).error()).contains("none of the 39 judgments could be parsed");
        assertThat(requests(judge)).as("each asked %d more times", REASKS).isEqualTo((LIMIT - 1) * (1 + REASKS));
        List<Double> preferences =
                jdbc.sql("SELECT preference FROM judgment").query(Double.class).list();
        assertThat(preferences).hasSize(LIMIT - 1).containsOnlyNulls();
        assertThat(jdbc.sql("SELECT count(*) FROM judge_cache")
                        .query(Long.class)
                        .single())
                .isZero();

        judge.resetAll();
        judge.stubFor(chat().willReturn(ok(logprobAnswer("m", LOGPROB_M, "M", LOGPROB_UPPER_M))));
        Evaluation again = jobs.awaitEnd(submit(), Duration.ofSeconds(60));
        assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(requests(judge)).as("nothing unparsable was cached").isEqualTo(LIMIT - 1);
    }
}
