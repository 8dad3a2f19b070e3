package ai.assay.api.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.leaderboard.Leaderboard;
import ai.assay.core.leaderboard.LeaderboardLine;
import ai.assay.core.leaderboard.MetricColumn;
import ai.assay.core.leaderboard.NeighbourComparison;
import ai.assay.reference.statistics.BootstrapScheme;
import ai.assay.reference.statistics.PairedDifference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code GET /leaderboard} as JSON: one page of rows, with the columns and how the statistics were made. */
public record LeaderboardView(
        String task,
        String annotator,
        List<String> annotators,
        Map<String, String> labels,
        String evaluations,
        Sort sort,
        List<Column> columns,
        Statistics statistics,
        List<Line> rows,
        int page,
        int size,
        int totalRows,
        int totalPages) {

    public record Sort(String column, String order) {}

    public record Column(String id, String task, String metric, String filter, boolean judged) {}

    /**
     * @param test what the neighbour tests are, per kind of sort column
     */
    public record Statistics(
            Map<String, String> test,
            double confidenceLevel,
            double alpha,
            String correction,
            int resamples,
            long seed,
            String grouping) {}

    public record Value(Double value, Double stderr, Integer n) {}

    /**
     * @param interval the 95% interval of the row's sort-column value: bootstrap percentiles for WR and LCWR,
     *     value &plusmn; 1.96 stderr otherwise
     */
    public record Line(
            Integer rank,
            List<Integer> rankRange,
            Integer tieGroup,
            String model,
            UUID evaluationId,
            Instant finishedAt,
            Map<String, String> labels,
            Double avg,
            Map<String, Value> metrics,
            Interval interval,
            VersusNext vsNext,
            List<String> notes) {}

    public record Interval(double lower, double upper, String method) {}

    /**
     * @param difference this row minus the next, on their shared examples
     * @param ci the 95% interval of the difference
     * @param pValue before the correction
     * @param pValueHolm after Holm's correction over the leaderboard's neighbour tests
     * @param significant whether pValueHolm is below alpha
     */
    public record VersusNext(
            Double difference,
            List<Double> ci,
            Double pValue,
            Double pValueHolm,
            boolean significant,
            String method,
            Integer n,
            Integer resamples,
            String unavailable) {}

    static final Map<String, String> TESTS = Map.of(
            "win_rate, length_controlled_winrate",
                    "paired bootstrap over the shared examples (LCWR refits the"
                            + " length-control GLM on every resample at the full-data C); percentile interval",
            "0/1 benchmark metrics", "exact McNemar test on the shared documents; Wald interval",
            "other benchmark metrics", "paired bootstrap of the mean difference over the shared documents",
            "avg", "paired z-test over the benchmark metrics both rows have per-document scores for");

    static LeaderboardView of(Leaderboard board, BootstrapScheme scheme, int page, int size) {
        List<LeaderboardLine> lines = board.lines();
        int from = (int) Math.min(lines.size(), (long) page * size);
        int to = Math.min(lines.size(), from + size);
        List<Line> rows =
                lines.subList(from, to).stream().map(LeaderboardView::row).toList();
        var query = board.query();
        return new LeaderboardView(
                query.task(),
                board.annotator(),
                board.annotators(),
                query.labels(),
                query.allEvaluations() ? "all" : "latest",
                new Sort(board.sortColumn(), query.ascending() ? "asc" : "desc"),
                board.columns().stream().map(LeaderboardView::column).toList(),
                new Statistics(
                        TESTS,
                        PairedDifference.CONFIDENCE_LEVEL,
                        Leaderboard.ALPHA,
                        "holm",
                        scheme.resamples(),
                        scheme.seed(),
                        "tie groups are runs of rows with no significant neighbour difference; rankRange spans the"
                                + " row's group"),
                rows,
                page,
                size,
                lines.size(),
                (lines.size() + size - 1) / size);
    }

    static Column column(MetricColumn c) {
        return new Column(c.id(), c.task(), c.metric(), c.filter(), c.judged());
    }

    private static Line row(LeaderboardLine line) {
        Map<String, Value> metrics = new LinkedHashMap<>();
        line.values().forEach((id, m) -> metrics.put(id, value(m)));
        return new Line(
                line.rank(),
                line.firstRank() == null ? null : List.of(line.firstRank(), line.lastRank()),
                line.tieGroup(),
                line.modelName(),
                line.evaluationId(),
                line.finishedAt(),
                line.labels(),
                line.average(),
                metrics,
                line.interval() == null
                        ? null
                        : new Interval(
                                line.interval().lower(),
                                line.interval().upper(),
                                line.interval().method()),
                next(line.next()),
                line.notes());
    }

    static Value value(MetricValue m) {
        return new Value(finite(m.value()), m.stderr() == null ? null : finite(m.stderr()), m.n());
    }

    static VersusNext next(NeighbourComparison test) {
        if (test == null) {
            return null;
        }
        PairedDifference d = test.difference();
        if (d == null) {
            return new VersusNext(null, null, null, null, false, null, null, null, test.unavailable());
        }
        return new VersusNext(
                finite(d.estimate()),
                interval(d),
                finite(d.pValue()),
                test.holmPValue(),
                test.separated(),
                d.method().slug(),
                d.n(),
                d.resamples(),
                test.unavailable());
    }

    static List<Double> interval(PairedDifference d) {
        return Double.isFinite(d.lower()) && Double.isFinite(d.upper()) ? List.of(d.lower(), d.upper()) : null;
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
