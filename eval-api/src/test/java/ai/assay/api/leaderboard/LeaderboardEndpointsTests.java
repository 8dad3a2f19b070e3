package ai.assay.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.leaderboard.LeaderboardTestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * GET /leaderboard and GET /comparisons over real HTTP, on real AlpacaEval 2 judgments (claude-2, gpt-3.5-turbo-1106,
 * alpaca-7b and an exact copy of claude-2), constructed benchmark results, and an import without per-example data.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaderboardEndpointsTests extends ApiIntegrationTest {

    @DynamicPropertySource
    static void lengthControlData(DynamicPropertyRegistry registry) {
        LeaderboardFixtures.lengthControlData(registry);
    }

    @Autowired
    private EvaluationEndings endings;

    @Autowired
    private PlatformTransactionManager transactions;

    private LeaderboardTestData data;
    private UUID claude;
    private UUID alpaca;

    @BeforeAll
    void writeResults() {
        data = LeaderboardFixtures.data(jdbc, endings, transactions);
        claude = data.alpacaEval(
                "claude-2", LeaderboardFixtures.annotations("claude-2", "claude-2"), Map.of("run", "ae"));
        data.alpacaEval(
                "claude-2-copy", LeaderboardFixtures.annotations("claude-2", "claude-2-copy"), Map.of("run", "ae"));
        data.alpacaEval(
                "gpt-3.5-turbo-1106",
                LeaderboardFixtures.annotations("gpt-3.5-turbo-1106", "gpt-3.5-turbo-1106"),
                Map.of("run", "ae"));
        alpaca = data.alpacaEval(
                "alpaca-7b", LeaderboardFixtures.annotations("alpaca-7b", "alpaca-7b"), Map.of("run", "ae"));
        data.benchmark("bench-strong", LeaderboardFixtures.benchmarkTasks(0.8, 1), Map.of("run", "bench"));
        data.benchmark("bench-weak", LeaderboardFixtures.benchmarkTasks(0.5, 2), Map.of("run", "bench"));
        LeaderboardFixtures.imported(data, "bench-imported", Map.of("run", "import"));
    }

    @Test
    void alpacaEvalLeaderboardIsSortedByLcwrWithTieGroups() {
        Response response = api.get("/leaderboard?label=run:ae");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("sort").get("column").stringValue()).isEqualTo("alpaca_eval:length_controlled_winrate");
        assertThat(body.get("annotator").stringValue()).isEqualTo(LeaderboardTestData.ANNOTATOR);
        assertThat(body.get("statistics").get("resamples").intValue()).isEqualTo(1000);
        assertThat(body.get("statistics").get("correction").stringValue()).isEqualTo("holm");
        List<String> models = new ArrayList<>();
        body.get("rows").forEach(row -> models.add(row.get("model").stringValue()));
        assertThat(models).containsExactly("claude-2", "claude-2-copy", "gpt-3.5-turbo-1106", "alpaca-7b");

        JsonNode first = body.get("rows").get(0);
        JsonNode lc = first.get("metrics").get("alpaca_eval:length_controlled_winrate");
        assertThat(lc.get("value").doubleValue())
                .isCloseTo(storedMetric(claude, "length_controlled_winrate"), within(1e-9));
        assertThat(lc.get("stderr").doubleValue()).isPositive();
        assertThat(lc.get("n").intValue()).isEqualTo(805);
        // claude-2 and its copy cannot be told apart; gpt-3.5 is clearly below both
        assertThat(first.get("vsNext").get("pValue").doubleValue()).isEqualTo(1.0);
        assertThat(first.get("vsNext").get("method").stringValue()).isEqualTo("paired-bootstrap");
        assertThat(first.get("rankRange").get(0).intValue()).isEqualTo(1);
        assertThat(first.get("rankRange").get(1).intValue()).isEqualTo(2);
        JsonNode second = body.get("rows").get(1);
        assertThat(second.get("vsNext").get("significant").booleanValue()).isTrue();
        assertThat(second.get("vsNext").get("pValueHolm").doubleValue()).isLessThan(0.05);
        assertThat(second.get("vsNext").get("difference").doubleValue())
                .isCloseTo(
                        storedMetric(claude, "length_controlled_winrate")
                                - lcOf(body.get("rows").get(2)),
                        within(1e-9));
        assertThat(body.get("rows").get(2).get("rankRange").get(0).intValue()).isEqualTo(3);
        assertThat(body.get("rows").get(3).get("vsNext").isNull()).isTrue();
        assertThat(body.get("totalRows").intValue()).isEqualTo(4);
    }

    @Test
    void benchmarkLeaderboardKeepsEveryMetricAndFilter() {
        JsonNode body = api.get("/leaderboard?label=run:bench").json();

        assertThat(body.get("sort").get("column").stringValue()).isEqualTo("avg");
        List<String> columns = new ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.get("id").stringValue()));
        assertThat(columns)
                .containsExactly(
                        "arc_easy:acc",
                        "arc_easy:acc_norm",
                        "gsm8k:exact_match:flexible-extract",
                        "gsm8k:exact_match:strict-match",
                        "ifeval:inst_level_loose_acc",
                        "ifeval:inst_level_strict_acc",
                        "ifeval:prompt_level_loose_acc",
                        "ifeval:prompt_level_strict_acc");
        assertThat(body.get("rows").get(0).get("model").stringValue()).isEqualTo("bench-strong");
        assertThat(body.get("rows").get(0).get("vsNext").get("method").stringValue())
                .isEqualTo("paired-z");
        assertThat(body.get("rows").get(0).get("vsNext").get("significant").booleanValue())
                .isTrue();
        // an import has metrics but no per-example scores: it is ranked, its tests are unavailable
        JsonNode withImport =
                api.get("/leaderboard?task=arc_easy&sort=arc_easy:acc_norm").json();
        JsonNode imported = find(withImport, "bench-imported");
        assertThat(imported.get("notes").get(0).stringValue()).contains("no per-example scores");
        assertThat(imported.get("vsNext").get("unavailable").stringValue()).contains("no per-document scores");

        JsonNode byAcc = api.get("/leaderboard?task=arc_easy&sort=arc_easy:acc&label=run:bench")
                .json();
        assertThat(byAcc.get("columns")).hasSize(2);
        JsonNode top = byAcc.get("rows").get(0);
        assertThat(top.get("model").stringValue()).isEqualTo("bench-strong");
        assertThat(top.get("vsNext").get("method").stringValue()).isEqualTo("mcnemar-exact");
    }

    @Test
    void csvHasHalosSummaryShape() {
        Response csv = api.get("/leaderboard?format=csv");
        Response accepted = api.get("/leaderboard", "text/csv");

        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(accepted.body()).isEqualTo(csv.body());
        String[] lines = csv.body().split("\n");
        assertThat(lines[0])
                .isEqualTo("model_name,alpacaeval_lcwr,alpacaeval_wr,arc_easy-acc,arc_easy-acc_stderr,"
                        + "arc_easy-acc_norm,arc_easy-acc_norm_stderr,"
                        + "\"gsm8k-exact_match,flexible-extract\",\"gsm8k-exact_match_stderr,flexible-extract\","
                        + "\"gsm8k-exact_match,strict-match\",\"gsm8k-exact_match_stderr,strict-match\","
                        + "ifeval-inst_level_loose_acc,ifeval-inst_level_loose_acc_stderr,"
                        + "ifeval-inst_level_strict_acc,ifeval-inst_level_strict_acc_stderr,"
                        + "ifeval-prompt_level_loose_acc,ifeval-prompt_level_loose_acc_stderr,"
                        + "ifeval-prompt_level_strict_acc,ifeval-prompt_level_strict_acc_stderr,avg");
        assertThat(lines).hasSize(1 + 7);
        assertThat(csv.body()).contains("\nbench-imported,,,0.71,0.01,0.73,0.01,");
        String[] claudeRow = lines[1].split(",", -1);
        assertThat(claudeRow[0]).isEqualTo("claude-2");
        assertThat(Double.parseDouble(claudeRow[1]))
                .isCloseTo(storedMetric(claude, "length_controlled_winrate"), within(1e-9));
        assertThat(Double.parseDouble(claudeRow[2])).isCloseTo(storedMetric(claude, "win_rate"), within(1e-9));
        assertThat(claudeRow[3]).isEmpty();
        assertThat(claudeRow[claudeRow.length - 1]).isEmpty();
        String strong = java.util.Arrays.stream(lines)
                .filter(l -> l.startsWith("bench-strong,"))
                .findFirst()
                .orElseThrow();
        assertThat(strong.split(",", -1)[19]).matches("0\\.\\d{4}");
    }

    @Test
    void filtersPagesAndBadParameters() {
        JsonNode page = api.get("/leaderboard?label=run:ae&size=2&page=1").json();
        assertThat(page.get("rows")).hasSize(2);
        assertThat(page.get("rows").get(0).get("rank").intValue()).isEqualTo(3);
        assertThat(page.get("totalPages").intValue()).isEqualTo(2);

        JsonNode nobody =
                api.get("/leaderboard?annotator=another_judge&task=alpaca_eval").json();
        assertThat(nobody.get("rows")).isEmpty();

        JsonNode all = api.get("/leaderboard?evaluations=all&task=alpaca_eval&sort=wr&order=asc")
                .json();
        assertThat(all.get("sort").get("column").stringValue()).isEqualTo("alpaca_eval:win_rate");
        assertThat(all.get("rows").get(0).get("model").stringValue()).isEqualTo("alpaca-7b");

        Response badSort = api.get("/leaderboard?sort=nope:acc");
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.isProblem()).isTrue();
        assertThat(badSort.json().get("type").stringValue()).isEqualTo("/problems/invalid-parameter");
        assertThat(badSort.json().get("parameter").stringValue()).isEqualTo("sort");
        assertThat(api.get("/leaderboard?evaluations=some")
                        .json()
                        .get("parameter")
                        .stringValue())
                .isEqualTo("evaluations");
        assertThat(api.get("/leaderboard?size=0").status()).isEqualTo(400);
        assertThat(api.get("/leaderboard?label=nocolon").status()).isEqualTo(400);
    }

    @Test
    void aPageFarBeyondTheLastIsEmpty() {
        Response json = api.get("/leaderboard?page=1000000000&size=1000");
        Response page = api.get("/ui/leaderboard?page=1000000000");

        assertThat(json.status()).as(json.body()).isEqualTo(200);
        assertThat(json.json().get("rows")).isEmpty();
        assertThat(page.status()).as(page.body()).isEqualTo(200);
    }

    @Test
    void aNewResultAppearsAsSoonAsItsEvaluationEnds() {
        assertThat(api.get("/leaderboard?label=run:late").json().get("rows")).isEmpty();

        data.benchmark("late-model", LeaderboardFixtures.benchmarkTasks(0.6, 9), Map.of("run", "late"));

        assertThat(api.get("/leaderboard?label=run:late").json().get("rows")).hasSize(1);
    }

    @Test
    void comparisonOfTwoModelsOnAlpacaEval() {
        Response response = api.get("/comparisons?a=claude-2&b=" + alpaca + "&size=3");

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("a").get("evaluationId").stringValue()).isEqualTo(claude.toString());
        JsonNode task = body.get("tasks").get(0);
        assertThat(task.get("task").stringValue()).isEqualTo("alpaca_eval");
        assertThat(task.get("sharedExamples").intValue()).isEqualTo(805);
        JsonNode lc = metric(task, "length_controlled_winrate");
        assertThat(lc.get("difference").doubleValue())
                .isCloseTo(
                        storedMetric(claude, "length_controlled_winrate")
                                - storedMetric(alpaca, "length_controlled_winrate"),
                        within(1e-9));
        assertThat(lc.get("pValue").doubleValue()).isLessThan(0.01);
        assertThat(lc.get("ci").get(0).doubleValue()).isPositive();
        assertThat(metric(task, "win_rate").get("method").stringValue()).isEqualTo("paired-bootstrap");
        JsonNode h2h = task.get("headToHead");
        assertThat(h2h.get("examples").intValue()).isEqualTo(805);
        assertThat(h2h.get("winRate").doubleValue()).isGreaterThan(50);
        assertThat(h2h.get("ci")).hasSize(2);
        assertThat(h2h.get("glmPredictedWinRate").doubleValue()).isGreaterThan(50);

        JsonNode examples = body.get("examples");
        assertThat(examples.get("totalItems").intValue()).isEqualTo(805);
        assertThat(examples.get("items")).hasSize(3);
        JsonNode first = examples.get("items").get(0);
        assertThat(Math.abs(first.get("difference").doubleValue()))
                .isGreaterThanOrEqualTo(
                        Math.abs(examples.get("items").get(2).get("difference").doubleValue()));
        assertThat(first.get("a").get("output").stringValue()).isNotBlank();
        assertThat(first.get("b").get("output").stringValue()).isNotBlank();
        assertThat(first.get("instruction").stringValue()).isNotBlank();
        assertThat(first.get("a").get("judgment").isObject()).isTrue();
    }

    @Test
    void comparisonOfACopyFindsNothing() {
        JsonNode task = api.get("/comparisons?a=claude-2&b=claude-2-copy&task=alpaca_eval")
                .json()
                .get("tasks")
                .get(0);

        assertThat(metric(task, "length_controlled_winrate").get("pValue").doubleValue())
                .isEqualTo(1.0);
        assertThat(metric(task, "win_rate").get("difference").doubleValue()).isZero();
        assertThat(task.get("headToHead").get("ties").intValue()).isEqualTo(805);
    }

    @Test
    void comparisonOfBenchmarksListsFlippedDocuments() {
        JsonNode body = api.get("/comparisons?a=bench-strong&b=bench-weak&task=gsm8k&metric=exact_match:strict-match")
                .json();

        JsonNode strict = body.get("tasks").get(0).get("metrics").get(1);
        assertThat(strict.get("filter").stringValue()).isEqualTo("strict-match");
        assertThat(strict.get("method").stringValue()).isEqualTo("mcnemar-exact");
        assertThat(body.get("examples").get("filter").stringValue()).isEqualTo("strict-match");
        JsonNode first = body.get("examples").get("items").get(0);
        assertThat(Math.abs(first.get("difference").doubleValue())).isEqualTo(1.0);
        assertThat(first.get("a").get("judgment").get("resps")).isNotNull();
        assertThat(first.get("a").get("scores").get("exact_match,strict-match")).isNotNull();
    }

    @Test
    void comparisonProblems() {
        Response unknown = api.get("/comparisons?a=nobody&b=claude-2");
        Response nothingShared = api.get("/comparisons?a=claude-2&b=bench-strong");
        Response missing = api.get("/comparisons?a=claude-2");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").stringValue()).isEqualTo("/problems/no-results");
        assertThat(unknown.json().get("parameter").stringValue()).isEqualTo("a");
        assertThat(nothingShared.status()).isEqualTo(422);
        assertThat(nothingShared.json().get("type").stringValue()).isEqualTo("/problems/nothing-to-compare");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("parameter").stringValue()).isEqualTo("b");
    }

    private double storedMetric(UUID evaluation, String metric) {
        return jdbc.sql("""
                SELECT m.value FROM metric_value m JOIN evaluation_task t ON t.id = m.task_id
                 WHERE t.evaluation_id = :id AND m.metric = :metric
                """)
                .param("id", evaluation)
                .param("metric", metric)
                .query(Double.class)
                .single();
    }

    private static double lcOf(JsonNode row) {
        return row.get("metrics")
                .get("alpaca_eval:length_controlled_winrate")
                .get("value")
                .doubleValue();
    }

    private static JsonNode metric(JsonNode task, String metric) {
        for (JsonNode m : task.get("metrics")) {
            if (m.get("metric").stringValue().equals(metric)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + metric);
    }

    private static JsonNode find(JsonNode body, String model) {
        for (JsonNode row : body.get("rows")) {
            if (row.get("model").stringValue().equals(model)) {
                return row;
            }
        }
        throw new AssertionError("no row " + model);
    }
}
