package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.reference.statistics.BootstrapScheme;
import ai.assay.reference.statistics.HolmCorrection;
import ai.assay.reference.statistics.PairedDifference;
import ai.assay.reference.statistics.PercentileBootstrap;
import ai.assay.reference.statistics.RankGroups;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Builds a leaderboard from the stored aggregates: picks the rows, sorts them, runs the paired test between each pair
 * of neighbouring rows on the sort column, corrects the p-values with Holm's method and turns the significant gaps
 * into tie groups and rank ranges. Reads only the leaderboard tables, never judgments or sample scores.
 */
@Component
public class LeaderboardBuilder {

    public static final String LCWR_ALIAS = "lcwr";
    public static final String WR_ALIAS = "wr";
    public static final String ALPACA_EVAL = "alpaca_eval";

    /** Rows whose per-document series are in memory at once while benchmark columns are tested. */
    static final int WINDOW = 100;

    private final LeaderboardStore store;
    private final PairedComparisons tests;

    public LeaderboardBuilder(LeaderboardStore store, LengthControlModel lengthControl) {
        this.store = store;
        this.tests = new PairedComparisons(store, lengthControl, BootstrapScheme.DEFAULT);
    }

    /** Thrown for a sort column the leaderboard does not have. */
    public static final class UnknownColumnException extends RuntimeException {

        public UnknownColumnException(String message) {
            super(message);
        }
    }

    public BootstrapScheme scheme() {
        return tests.scheme();
    }

    public Leaderboard build(LeaderboardQuery query) {
        long generation = store.generation();
        List<LeaderboardEntry> entries = store.entries(query.labels(), query.task());
        List<String> annotators = annotators(entries);
        String annotator =
                query.annotator() != null ? query.annotator() : annotators.isEmpty() ? null : annotators.get(0);
        List<Candidate> candidates = candidates(entries, annotator, query.allEvaluations());
        Set<MetricColumn> columnSet = new TreeSet<>(MetricColumn.ORDER);
        for (Candidate candidate : candidates) {
            for (LeaderboardEntry entry : candidate.entries.values()) {
                entry.metrics()
                        .forEach(m ->
                                columnSet.add(new MetricColumn(entry.task(), m.metric(), m.filter(), entry.judged())));
            }
        }
        List<MetricColumn> columns = List.copyOf(columnSet);
        String sortColumn = resolveSort(query.sort(), columns);
        MetricColumn sortMetric = MetricColumn.AVG.equals(sortColumn)
                ? null
                : columns.stream()
                        .filter(c -> c.id().equals(sortColumn))
                        .findFirst()
                        .orElseThrow();

        Function<Candidate, Double> sortValue = sortMetric == null
                ? Candidate::average
                : c -> c.value(sortMetric).map(MetricValue::value).orElse(null);
        Comparator<Candidate> byValue = Comparator.comparing(
                sortValue, query.ascending() ? Comparator.naturalOrder() : Comparator.reverseOrder());
        List<Candidate> ranked = candidates.stream()
                .filter(c -> sortValue.apply(c) != null)
                .sorted(byValue.thenComparing(c -> c.modelName).thenComparing(c -> c.finishedAt))
                .toList();
        List<Candidate> unranked = candidates.stream()
                .filter(c -> sortValue.apply(c) == null)
                .sorted(Comparator.comparing((Candidate c) -> c.modelName).thenComparing(c -> c.finishedAt))
                .toList();

        Map<Long, StoredJudgedExamples> replicates =
                sortMetric != null && sortMetric.judged() && PairedComparisons.hasJudgedTest(sortMetric.metric())
                        ? store.judgedReplicates(ranked.stream()
                                .map(c -> c.entries.get(sortMetric.task()))
                                .map(LeaderboardEntry::taskId)
                                .toList())
                        : Map.of();
        List<PairedComparisons.Outcome> outcomes = neighbourTests(ranked, sortMetric, replicates);
        double[] pValues = outcomes.stream()
                .mapToDouble(o ->
                        o.difference() == null || Double.isNaN(o.difference().pValue())
                                ? Double.NaN
                                : o.difference().pValue())
                .toArray();
        double[] holm = HolmCorrection.adjust(pValues);
        boolean[] separated = new boolean[outcomes.size()];
        for (int i = 0; i < separated.length; i++) {
            separated[i] = !Double.isNaN(holm[i]) && holm[i] < Leaderboard.ALPHA;
        }
        RankGroups groups = RankGroups.of(separated, ranked.size());

        List<LeaderboardLine> lines = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            NeighbourComparison next = null;
            if (i < outcomes.size()) {
                PairedComparisons.Outcome outcome = outcomes.get(i);
                next = new NeighbourComparison(
                        outcome.difference(),
                        Double.isNaN(holm[i]) ? null : holm[i],
                        separated[i],
                        outcome.unavailable());
            }
            lines.add(ranked.get(i)
                    .line(
                            i + 1,
                            groups.firstRank()[i],
                            groups.lastRank()[i],
                            groups.group()[i],
                            interval(ranked.get(i), sortMetric, replicates),
                            next));
        }
        for (Candidate candidate : unranked) {
            lines.add(candidate.line(null, null, null, null, null, null));
        }
        return new Leaderboard(query, annotator, annotators, columns, sortColumn, lines, generation);
    }

    private static RowInterval interval(
            Candidate candidate, MetricColumn column, Map<Long, StoredJudgedExamples> replicates) {
        if (column == null) {
            return null;
        }
        MetricValue value = candidate.value(column).orElse(null);
        if (value == null) {
            return null;
        }
        StoredJudgedExamples stored =
                replicates.get(candidate.entries.get(column.task()).taskId());
        if (stored != null) {
            float[] values = column.metric().equals(MetricColumn.LENGTH_CONTROLLED_WIN_RATE)
                    ? stored.replicates().lengthControlled()
                    : stored.replicates().winRate();
            if (values != null) {
                double[] finite = new double[values.length];
                int n = 0;
                for (float v : values) {
                    if (!Float.isNaN(v)) {
                        finite[n++] = v;
                    }
                }
                if (n > 0) {
                    PairedDifference spread =
                            PercentileBootstrap.ofDifferences(value.value(), Arrays.copyOf(finite, n), n);
                    return new RowInterval(spread.lower(), spread.upper(), "bootstrap-percentile");
                }
            }
        }
        if (value.stderr() == null) {
            return null;
        }
        double z = 1.959963984540054;
        return new RowInterval(value.value() - z * value.stderr(), value.value() + z * value.stderr(), "normal-stderr");
    }

    private List<PairedComparisons.Outcome> neighbourTests(
            List<Candidate> ranked, MetricColumn column, Map<Long, StoredJudgedExamples> stored) {
        List<PairedComparisons.Outcome> outcomes = new ArrayList<>();
        if (ranked.size() < 2) {
            return outcomes;
        }
        if (column == null) {
            // per-document series are loaded a window of rows at a time, so memory stays bounded on large boards
            for (int start = 0; start + 1 < ranked.size(); start += WINDOW) {
                List<Candidate> window = ranked.subList(start, Math.min(ranked.size(), start + WINDOW + 1));
                List<Long> taskIds = window.stream()
                        .flatMap(c -> c.entries.values().stream())
                        .filter(e -> !e.judged())
                        .map(LeaderboardEntry::taskId)
                        .toList();
                Map<Long, List<ScoredExamples>> series = store.scoredExamples(taskIds, null, null);
                for (int i = 0; i + 1 < window.size(); i++) {
                    outcomes.add(tests.average(
                            window.get(i).seriesByTask(series),
                            window.get(i + 1).seriesByTask(series)));
                }
            }
            return outcomes;
        }
        List<LeaderboardEntry> entries =
                ranked.stream().map(c -> c.entries.get(column.task())).toList();
        if (column.judged()) {
            if (!PairedComparisons.hasJudgedTest(column.metric())) {
                return unavailable(ranked.size(), "no paired test is defined for " + column.id());
            }
            for (int i = 0; i + 1 < entries.size(); i++) {
                LeaderboardEntry a = entries.get(i);
                LeaderboardEntry b = entries.get(i + 1);
                outcomes.add(tests.judged(column.metric(), a, b, stored.get(a.taskId()), stored.get(b.taskId())));
            }
            return outcomes;
        }
        for (int start = 0; start + 1 < entries.size(); start += WINDOW) {
            List<LeaderboardEntry> window = entries.subList(start, Math.min(entries.size(), start + WINDOW + 1));
            Map<Long, List<ScoredExamples>> series = store.scoredExamples(
                    window.stream().map(LeaderboardEntry::taskId).toList(), column.metric(), column.filter());
            for (int i = 0; i + 1 < window.size(); i++) {
                outcomes.add(tests.scored(
                        first(series.get(window.get(i).taskId())),
                        first(series.get(window.get(i + 1).taskId()))));
            }
        }
        return outcomes;
    }

    private static ScoredExamples first(List<ScoredExamples> series) {
        return series == null || series.isEmpty() ? null : series.get(0);
    }

    private static List<PairedComparisons.Outcome> unavailable(int rows, String reason) {
        List<PairedComparisons.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i + 1 < rows; i++) {
            outcomes.add(new PairedComparisons.Outcome(null, reason));
        }
        return outcomes;
    }

    /** The judges of the judged entries, most results first. */
    static List<String> annotators(List<LeaderboardEntry> entries) {
        Map<String, Long> counts = entries.stream()
                .filter(LeaderboardEntry::judged)
                .collect(Collectors.groupingBy(LeaderboardEntry::annotator, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Entries arrive newest first, so the first evaluation seen of a model is its latest. */
    private static List<Candidate> candidates(List<LeaderboardEntry> entries, String annotator, boolean all) {
        Map<UUID, Candidate> byEvaluation = new LinkedHashMap<>();
        for (LeaderboardEntry entry : entries) {
            if (entry.judged() && !entry.annotator().equals(annotator)) {
                continue;
            }
            byEvaluation
                    .computeIfAbsent(entry.evaluationId(), id -> new Candidate(entry))
                    .add(entry);
        }
        if (all) {
            return List.copyOf(byEvaluation.values());
        }
        Set<String> seen = new HashSet<>();
        return byEvaluation.values().stream().filter(c -> seen.add(c.modelName)).toList();
    }

    private static String resolveSort(String sort, List<MetricColumn> columns) {
        Optional<MetricColumn> lcwr = alias(columns, MetricColumn.LENGTH_CONTROLLED_WIN_RATE);
        if (sort == null) {
            return lcwr.map(MetricColumn::id).orElse(MetricColumn.AVG);
        }
        if (sort.equals(MetricColumn.AVG)) {
            return sort;
        }
        if (sort.equals(LCWR_ALIAS) || sort.equals(WR_ALIAS)) {
            return alias(
                            columns,
                            sort.equals(LCWR_ALIAS) ? MetricColumn.LENGTH_CONTROLLED_WIN_RATE : MetricColumn.WIN_RATE)
                    .map(MetricColumn::id)
                    .orElseThrow(() -> new UnknownColumnException(
                            "'" + sort + "' needs judged (AlpacaEval) results," + " and this leaderboard has none"));
        }
        String id = MetricColumn.parse(sort)
                .map(p -> new MetricColumn(p[0], p[1], p[2], false).id())
                .orElse(sort);
        return columns.stream()
                .map(MetricColumn::id)
                .filter(id::equals)
                .findFirst()
                .orElseThrow(() -> new UnknownColumnException("this leaderboard has no column '" + sort + "'"));
    }

    /** The judged column of a metric: alpaca_eval's when present, else the first judged task's. */
    private static Optional<MetricColumn> alias(List<MetricColumn> columns, String metric) {
        List<MetricColumn> matching = columns.stream()
                .filter(c ->
                        c.judged() && c.metric().equals(metric) && c.filter().equals("none"))
                .toList();
        return matching.stream()
                .filter(c -> c.task().equals(ALPACA_EVAL))
                .findFirst()
                .or(() -> matching.stream().findFirst());
    }

    /** One evaluation with its eligible entries by task. */
    private static final class Candidate {

        private final UUID evaluationId;
        private final String modelName;
        private final Instant finishedAt;
        private final Map<String, String> labels;
        private final Map<String, LeaderboardEntry> entries = new TreeMap<>();

        Candidate(LeaderboardEntry first) {
            this.evaluationId = first.evaluationId();
            this.modelName = first.modelName();
            this.finishedAt = first.finishedAt();
            this.labels = first.labels();
        }

        void add(LeaderboardEntry entry) {
            entries.put(entry.task(), entry);
        }

        Optional<MetricValue> value(MetricColumn column) {
            LeaderboardEntry entry = entries.get(column.task());
            return entry == null ? Optional.empty() : entry.metric(column.metric(), column.filter());
        }

        Double average() {
            double sum = 0;
            int n = 0;
            for (LeaderboardEntry entry : entries.values()) {
                if (!entry.judged()) {
                    for (MetricValue metric : entry.metrics()) {
                        sum += metric.value();
                        n++;
                    }
                }
            }
            return n == 0 ? null : sum / n;
        }

        Map<String, List<ScoredExamples>> seriesByTask(Map<Long, List<ScoredExamples>> series) {
            Map<String, List<ScoredExamples>> byTask = new HashMap<>();
            for (LeaderboardEntry entry : entries.values()) {
                List<ScoredExamples> s = series.get(entry.taskId());
                if (!entry.judged() && s != null) {
                    byTask.put(entry.task(), s);
                }
            }
            return byTask;
        }

        LeaderboardLine line(
                Integer rank,
                Integer firstRank,
                Integer lastRank,
                Integer group,
                RowInterval interval,
                NeighbourComparison next) {
            Map<String, MetricValue> values = new LinkedHashMap<>();
            List<String> notes = new ArrayList<>();
            for (LeaderboardEntry entry : entries.values()) {
                for (MetricValue metric : entry.metrics()) {
                    values.put(
                            new MetricColumn(entry.task(), metric.metric(), metric.filter(), entry.judged()).id(),
                            metric);
                }
                if (entry.note() != null) {
                    notes.add(entry.task() + ": " + entry.note());
                }
            }
            return new LeaderboardLine(
                    rank,
                    firstRank,
                    lastRank,
                    group,
                    modelName,
                    evaluationId,
                    finishedAt,
                    labels,
                    values,
                    average(),
                    interval,
                    next,
                    notes);
        }
    }
}
