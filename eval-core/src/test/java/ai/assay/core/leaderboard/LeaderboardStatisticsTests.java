package ai.assay.core.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.testing.FreshDatabaseExtension;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import ai.assay.reference.statistics.TestMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The aggregation, the leaderboard's neighbour tests and the comparisons on constructed data with known answers: a
 * model and its exact copy are never told apart, a planted difference always is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaderboardStatisticsTests {

    @RegisterExtension
    static final FreshDatabaseExtension DATABASE = new FreshDatabaseExtension();

    private static final int DOCS = 500;

    private JdbcClient jdbc;
    private LeaderboardStore store;
    private LeaderboardAggregator aggregator;
    private LeaderboardBuilder leaderboards;
    private ComparisonBuilder comparisons;
    private LeaderboardTestData data;
    private UUID claude;
    private UUID base;

    @BeforeAll
    void writeEvaluations() {
        jdbc = JdbcClient.create(DATABASE.dataSource());
        store = new LeaderboardStore(jdbc, new JsonColumns(JsonMapper.builder().build()));
        LengthControlledWinRate lc = new LengthControlledWinRate(
                AlpacaEvalFixtures.lengthControlData().gamedBaseline());
        LengthControlModel model = LengthControlModel.of(lc);
        aggregator = new LeaderboardAggregator(store, model);
        leaderboards = new LeaderboardBuilder(store, model);
        comparisons = new ComparisonBuilder(store, model);
        TransactionTemplate transactions =
                new TransactionTemplate(new DataSourceTransactionManager(DATABASE.dataSource()));
        data = new LeaderboardTestData(
                jdbc,
                lc,
                id -> transactions.executeWithoutResult(status -> {
                    LeaderboardTestData.markSucceeded(jdbc, id);
                    aggregator.evaluationEnded(id);
                }));

        List<HeadToHeadAnnotation> annotations = AlpacaEvalFixtures.annotations("claude-2");
        claude = data.alpacaEval(
                "claude",
                LeaderboardTestData.withPreferences(annotations, "claude", i -> null),
                Map.of("run", "judged"));
        data.alpacaEval(
                "claude-twin",
                LeaderboardTestData.withPreferences(annotations, "claude-twin", i -> null),
                Map.of("run", "judged"));
        // 80 examples the judge gave to the reference now go clearly to the model
        int[] flipped = {0};
        data.alpacaEval(
                "claude-better",
                LeaderboardTestData.withPreferences(annotations, "claude-better", i -> {
                    Double p = annotations.get(i).preference();
                    if (p != null && p < 1.5 && flipped[0] < 80) {
                        flipped[0]++;
                        return 2.0;
                    }
                    return null;
                }),
                Map.of("run", "judged"));

        Random random = new Random(7);
        double[] acc = new double[DOCS];
        double[] accNorm = new double[DOCS];
        for (int i = 0; i < DOCS; i++) {
            acc[i] = random.nextDouble() < 0.6 ? 1 : 0;
            accNorm[i] = random.nextDouble() < 0.65 ? 1 : 0;
        }
        double[] better = acc.clone();
        int fixed = 0;
        for (int i = 0; i < DOCS && fixed < 60; i++) {
            if (better[i] == 0) {
                better[i] = 1;
                fixed++;
            }
        }
        base = data.benchmark("base", tasks(acc, accNorm), Map.of("run", "bench"));
        data.benchmark("base-twin", tasks(acc.clone(), accNorm.clone()), Map.of("run", "bench"));
        data.benchmark("base-better", tasks(better, accNorm.clone()), Map.of("run", "bench"));
    }

    private static Map<String, Map<String, double[]>> tasks(double[] acc, double[] accNorm) {
        Map<String, double[]> arc = new LinkedHashMap<>();
        arc.put("acc", acc);
        arc.put("acc_norm", accNorm);
        return Map.of("arc_easy", arc);
    }

    @Test
    void theLeaderboardSortsByLcwrAndSeparatesOnlyThePlantedDifference() {
        Leaderboard board =
                leaderboards.build(new LeaderboardQuery(null, null, Map.of("run", "judged"), false, null, false));

        assertThat(board.sortColumn()).isEqualTo("alpaca_eval:length_controlled_winrate");
        assertThat(board.annotator()).isEqualTo(LeaderboardTestData.ANNOTATOR);
        List<LeaderboardLine> lines = board.lines();
        assertThat(lines).extracting(LeaderboardLine::modelName).startsWith("claude-better");
        assertThat(lines.get(0).next().separated()).isTrue();
        assertThat(lines.get(0).next().difference().pValue()).isLessThan(0.01);
        assertThat(lines.get(0).next().difference().method()).isEqualTo(TestMethod.PAIRED_BOOTSTRAP);
        assertThat(lines.get(0).firstRank()).isEqualTo(1);
        assertThat(lines.get(0).lastRank()).isEqualTo(1);
        // claude and its copy: identical judgments, identical replicates
        assertThat(lines.get(1).next().difference().pValue()).isEqualTo(1.0);
        assertThat(lines.get(1).next().difference().estimate()).isZero();
        assertThat(lines.get(1).next().separated()).isFalse();
        assertThat(lines.get(1).tieGroup()).isEqualTo(lines.get(2).tieGroup());
        assertThat(lines.get(2).firstRank()).isEqualTo(2);
        assertThat(lines.get(2).lastRank()).isEqualTo(3);
        assertThat(lines.get(2).next()).isNull();
        // each row's own interval comes from its replicates and contains its value
        RowInterval interval = lines.get(0).interval();
        double value = lines.get(0)
                .values()
                .get("alpaca_eval:length_controlled_winrate")
                .value();
        assertThat(interval.method()).isEqualTo("bootstrap-percentile");
        assertThat(interval.lower()).isLessThan(value);
        assertThat(interval.upper()).isGreaterThan(value);
    }

    @Test
    void winRateSortUsesTheWinRateReplicates() {
        Leaderboard board =
                leaderboards.build(new LeaderboardQuery(null, null, Map.of("run", "judged"), false, "wr", false));

        assertThat(board.sortColumn()).isEqualTo("alpaca_eval:win_rate");
        assertThat(board.lines().get(0).modelName()).isEqualTo("claude-better");
        assertThat(board.lines().get(0).next().separated()).isTrue();
        assertThat(board.lines().get(1).next().difference().pValue()).isEqualTo(1.0);
    }

    @Test
    void benchmarkColumnsUseMcNemarAndTheDefaultSortIsTheAverage() {
        Leaderboard byAcc = leaderboards.build(
                new LeaderboardQuery(null, null, Map.of("run", "bench"), false, "arc_easy:acc", false));
        Leaderboard byAverage =
                leaderboards.build(new LeaderboardQuery(null, null, Map.of("run", "bench"), false, null, false));

        for (Leaderboard board : List.of(byAcc, byAverage)) {
            List<LeaderboardLine> lines = board.lines();
            assertThat(lines.get(0).modelName()).isEqualTo("base-better");
            assertThat(lines.get(0).next().separated()).isTrue();
            assertThat(lines.get(1).next().difference().pValue()).isEqualTo(1.0);
            assertThat(lines.get(1).next().separated()).isFalse();
            assertThat(lines.get(1).firstRank()).isEqualTo(2);
            assertThat(lines.get(2).lastRank()).isEqualTo(3);
        }
        assertThat(byAverage.sortColumn()).isEqualTo("avg");
        assertThat(byAcc.lines().get(0).next().difference().method()).isEqualTo(TestMethod.MCNEMAR_EXACT);
        assertThat(byAcc.lines().get(0).next().difference().estimate()).isCloseTo(60.0 / DOCS, within(1e-12));
        assertThat(byAverage.lines().get(0).next().difference().method()).isEqualTo(TestMethod.PAIRED_Z);
        assertThat(byAverage.lines().get(0).average())
                .isCloseTo(
                        (byAverage.lines().get(0).values().get("arc_easy:acc").value()
                                        + byAverage
                                                .lines()
                                                .get(0)
                                                .values()
                                                .get("arc_easy:acc_norm")
                                                .value())
                                / 2,
                        within(1e-12));
    }

    @Test
    void comparisonOfACopyFindsNothingAndOfThePlantedModelFindsIt() {
        Comparison same = comparisons.compare("claude", "claude-twin", "alpaca_eval", null, 0, 5);
        Comparison planted = comparisons.compare("claude-better", claude.toString(), null, null, 0, 5);

        var lcSame = metric(same, "length_controlled_winrate");
        assertThat(lcSame.shared().pValue()).isEqualTo(1.0);
        assertThat(same.tasks().get(0).headToHead().winsA()).isZero();
        assertThat(same.tasks().get(0).headToHead().winsB()).isZero();
        assertThat(same.tasks().get(0).headToHead().winRate()).isEqualTo(50.0);

        var lc = metric(planted, "length_controlled_winrate");
        assertThat(lc.shared().pValue()).isLessThan(0.01);
        assertThat(lc.shared().estimate()).isPositive();
        assertThat(lc.shared().lower()).isPositive();
        var h2h = planted.tasks().get(0).headToHead();
        assertThat(h2h.winsA()).isEqualTo(80);
        assertThat(h2h.winsB()).isZero();
        assertThat(h2h.lower()).isGreaterThan(50);
        assertThat(h2h.glmPredictedWinRate()).isGreaterThan(50);
        assertThat(planted.tasks().get(0).sharedExamples()).isEqualTo(805);
        // the largest flips first, with both outputs and both judgments
        var first = planted.examples().items().get(0);
        assertThat(first.a().value()).isEqualTo(2.0);
        assertThat(first.b().value()).isLessThan(1.5);
        assertThat(first.a().output()).isNotBlank();
        assertThat(first.instruction()).isNotBlank();
        assertThat(first.a().judgment()).isNotNull();
        assertThat(planted.examples().totalItems()).isEqualTo(805);
        assertThat(planted.examples().items()).hasSize(5);
    }

    @Test
    void benchmarkComparisonPairsDocuments() {
        Comparison same = comparisons.compare("base", "base-twin", null, null, 0, 10);
        Comparison planted = comparisons.compare("base-better", base.toString(), null, "acc", 0, 10);

        assertThat(same.tasks().get(0).metrics())
                .allSatisfy(m -> assertThat(m.shared().pValue()).isEqualTo(1.0));
        var acc = planted.tasks().get(0).metrics().stream()
                .filter(m -> m.metric().equals("acc"))
                .findFirst()
                .orElseThrow();
        assertThat(acc.shared().pValue()).isLessThan(1e-6);
        assertThat(planted.examples().items())
                .allSatisfy(item -> assertThat(item.difference()).isEqualTo(1.0));
        assertThat(planted.examples().items().get(0).a().judgment().get("resps"))
                .isNotNull();
        assertThat(planted.examples().metric()).isEqualTo("acc");
    }

    @Test
    void aggregatingAgainReplacesTheEntries() {
        TransactionTemplate transactions =
                new TransactionTemplate(new DataSourceTransactionManager(DATABASE.dataSource()));
        long before = jdbc.sql("SELECT count(*) FROM leaderboard_judged_examples")
                .query(Long.class)
                .single();
        long generation = store.generation();

        transactions.executeWithoutResult(status -> aggregator.evaluationEnded(claude));

        assertThat(jdbc.sql("SELECT count(*) FROM leaderboard_judged_examples")
                        .query(Long.class)
                        .single())
                .isEqualTo(before);
        assertThat(store.generation()).isGreaterThan(generation);
    }

    @Test
    void allEvaluationsGivesOneRowPerEvaluation() {
        UUID again =
                data.benchmark("base", tasks(new double[] {1, 0, 1}, new double[] {1, 1, 0}), Map.of("run", "bench-2"));

        Leaderboard latest = leaderboards.build(new LeaderboardQuery("arc_easy", null, Map.of(), false, null, false));
        Leaderboard all = leaderboards.build(new LeaderboardQuery("arc_easy", null, Map.of(), true, null, false));

        assertThat(latest.lines())
                .filteredOn(l -> l.modelName().equals("base"))
                .singleElement()
                .satisfies(l -> assertThat(l.evaluationId()).isEqualTo(again));
        assertThat(all.lines()).filteredOn(l -> l.modelName().equals("base")).hasSize(2);
        assertThat(all.columns()).allSatisfy(c -> assertThat(c.task()).isEqualTo("arc_easy"));
    }

    private static Comparison.MetricComparison metric(Comparison comparison, String metric) {
        return comparison.tasks().get(0).metrics().stream()
                .filter(m -> m.metric().equals(metric))
                .findFirst()
                .orElseThrow();
    }
}
