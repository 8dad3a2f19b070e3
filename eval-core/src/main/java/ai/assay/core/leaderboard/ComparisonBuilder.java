package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.leaderboard.Comparison.ExampleDifference;
import ai.assay.core.leaderboard.Comparison.ExamplePage;
import ai.assay.core.leaderboard.Comparison.ExampleSide;
import ai.assay.core.leaderboard.Comparison.HeadToHead;
import ai.assay.core.leaderboard.Comparison.MetricComparison;
import ai.assay.core.leaderboard.Comparison.Side;
import ai.assay.core.leaderboard.Comparison.TaskComparison;
import ai.assay.core.leaderboard.LeaderboardStore.JudgedExample;
import ai.assay.reference.alpacaeval.metrics.GlmWeights;
import ai.assay.reference.statistics.BootstrapScheme;
import ai.assay.reference.statistics.PairedDifference;
import ai.assay.reference.statistics.PercentileBootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Builds {@link Comparison}s from the stored aggregates, reading judgments only for the page of examples shown. */
@Component
public class ComparisonBuilder {

    private final LeaderboardStore store;
    private final PairedComparisons tests;

    public ComparisonBuilder(LeaderboardStore store, LengthControlModel lengthControl) {
        this.store = store;
        this.tests = new PairedComparisons(store, lengthControl, BootstrapScheme.DEFAULT);
    }

    /** Thrown when a side names no evaluation with leaderboard results. */
    public static final class SideNotFoundException extends RuntimeException {

        private final String parameter;

        public SideNotFoundException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** Thrown for a task or metric the two sides do not share. */
    public static final class NothingSharedException extends RuntimeException {

        private final String parameter;

        public NothingSharedException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    public BootstrapScheme scheme() {
        return tests.scheme();
    }

    /**
     * @param a an evaluation id, or a model name (its latest evaluation with results, for {@code task} if given)
     * @param task only this task, or null for every task both have
     * @param metric the metric whose per-document differences to list for a benchmark task ({@code metric} or
     *     {@code metric:filter}), or null for the task's first
     */
    public Comparison compare(String a, String b, String task, String metric, int page, int size) {
        Map<String, LeaderboardEntry> entriesA = side("a", a, task);
        Map<String, LeaderboardEntry> entriesB = side("b", b, task);
        List<String> shared = new ArrayList<>(new TreeSet<>(entriesA.keySet()));
        shared.retainAll(entriesB.keySet());
        if (task != null) {
            if (!shared.contains(task)) {
                throw new NothingSharedException(
                        "task", "the two sides do not both have results for task '" + task + "'");
            }
            shared.retainAll(List.of(task));
        }
        if (shared.isEmpty()) {
            throw new NothingSharedException("task", "the two sides have no task in common");
        }
        shared.sort(
                Comparator.comparing((String t) -> !entriesA.get(t).judged()).thenComparing(t -> t));

        List<Long> judgedIds = new ArrayList<>();
        List<Long> scoredIds = new ArrayList<>();
        for (String t : shared) {
            for (LeaderboardEntry e : List.of(entriesA.get(t), entriesB.get(t))) {
                (e.judged() ? judgedIds : scoredIds).add(e.taskId());
            }
        }
        Map<Long, StoredJudgedExamples> judged = store.judgedExamples(judgedIds);
        Map<Long, List<ScoredExamples>> scored = store.scoredExamples(scoredIds, null, null);

        List<TaskComparison> tasks = new ArrayList<>();
        for (String t : shared) {
            LeaderboardEntry ea = entriesA.get(t);
            LeaderboardEntry eb = entriesB.get(t);
            if (ea.judged() != eb.judged()) {
                tasks.add(new TaskComparison(
                        t,
                        ea.judged(),
                        ea.annotator(),
                        eb.annotator(),
                        0,
                        0,
                        0,
                        metricsWithoutTests(ea, eb, "one side was judged and the other scored"),
                        null,
                        "one side was judged and the other scored"));
            } else if (ea.judged()) {
                tasks.add(judgedTask(ea, eb, judged.get(ea.taskId()), judged.get(eb.taskId())));
            } else {
                tasks.add(scoredTask(
                        ea,
                        eb,
                        scored.getOrDefault(ea.taskId(), List.of()),
                        scored.getOrDefault(eb.taskId(), List.of())));
            }
        }
        String exampleTask = task != null
                ? task
                : shared.contains(LeaderboardBuilder.ALPACA_EVAL) ? LeaderboardBuilder.ALPACA_EVAL : shared.get(0);
        LeaderboardEntry ea = entriesA.get(exampleTask);
        LeaderboardEntry eb = entriesB.get(exampleTask);
        ExamplePage examples;
        if (ea.judged() && eb.judged() && Objects.equals(ea.annotator(), eb.annotator())) {
            examples = judgedExamples(ea, eb, judged.get(ea.taskId()), judged.get(eb.taskId()), page, size);
        } else if (!ea.judged() && !eb.judged()) {
            examples = scoredExamples(
                    ea,
                    eb,
                    scored.getOrDefault(ea.taskId(), List.of()),
                    scored.getOrDefault(eb.taskId(), List.of()),
                    metric,
                    page,
                    size);
        } else {
            examples = new ExamplePage(exampleTask, null, null, page, size, 0, List.of());
        }
        return new Comparison(sideOf(entriesA), sideOf(entriesB), tasks, examples);
    }

    private Map<String, LeaderboardEntry> side(String parameter, String value, String task) {
        UUID id = parseUuid(value);
        if (id == null) {
            id = store.latestEvaluation(value, task)
                    .orElseThrow(() -> new SideNotFoundException(
                            parameter,
                            "model '" + value + "' has no finished evaluation with results"
                                    + (task == null ? "" : " for task '" + task + "'")));
        }
        List<LeaderboardEntry> entries = store.entriesOf(id);
        if (entries.isEmpty()) {
            throw new SideNotFoundException(
                    parameter,
                    "evaluation " + id + " has no leaderboard results"
                            + " (it has not ended, or no task succeeded with metrics)");
        }
        Map<String, LeaderboardEntry> byTask = new LinkedHashMap<>();
        entries.forEach(e -> byTask.put(e.task(), e));
        return byTask;
    }

    private static Side sideOf(Map<String, LeaderboardEntry> entries) {
        LeaderboardEntry any = entries.values().iterator().next();
        return new Side(any.modelName(), any.evaluationId(), any.finishedAt());
    }

    private TaskComparison judgedTask(
            LeaderboardEntry a, LeaderboardEntry b, StoredJudgedExamples storedA, StoredJudgedExamples storedB) {
        if (!Objects.equals(a.annotator(), b.annotator())) {
            String reason = "judged by different annotators (" + a.annotator() + ", " + b.annotator()
                    + "): their numbers are not comparable";
            return new TaskComparison(
                    a.task(),
                    true,
                    a.annotator(),
                    b.annotator(),
                    0,
                    0,
                    0,
                    metricsWithoutTests(a, b, reason),
                    null,
                    reason);
        }
        if (storedA == null || storedB == null) {
            String reason = "no per-example judgments are stored for " + (storedA == null ? "A" : "B");
            return new TaskComparison(
                    a.task(),
                    true,
                    a.annotator(),
                    b.annotator(),
                    0,
                    0,
                    0,
                    metricsWithoutTests(a, b, reason),
                    null,
                    null);
        }
        SharedExamples shared = SharedExamples.of(storedA.examples(), storedB.examples());
        List<MetricComparison> metrics = new ArrayList<>();
        for (MetricValue m : a.metrics()) {
            Optional<MetricValue> other = b.metric(m.metric(), m.filter());
            if (other.isEmpty()) {
                continue;
            }
            if (PairedComparisons.hasJudgedTest(m.metric()) && "none".equals(m.filter())) {
                PairedComparisons.Outcome outcome = tests.judged(m.metric(), a, b, storedA, storedB);
                metrics.add(new MetricComparison(
                        m.metric(),
                        m.filter(),
                        m.value(),
                        other.get().value(),
                        outcome.difference(),
                        outcome.unavailable()));
            } else {
                metrics.add(new MetricComparison(
                        m.metric(),
                        m.filter(),
                        m.value(),
                        other.get().value(),
                        null,
                        "no paired test is defined for this metric"));
            }
        }
        metrics.sort(Comparator.comparingInt((MetricComparison m) -> headline(m.metric())));
        return new TaskComparison(
                a.task(),
                true,
                a.annotator(),
                b.annotator(),
                shared.size(),
                storedA.exampleCount() - shared.size(),
                storedB.exampleCount() - shared.size(),
                metrics,
                headToHead(storedA, storedB, shared),
                null);
    }

    /** LCWR, WR, discrete WR and length first; the counts after. */
    private static int headline(String metric) {
        return switch (metric) {
            case MetricColumn.LENGTH_CONTROLLED_WIN_RATE -> 0;
            case MetricColumn.WIN_RATE -> 1;
            case "discrete_win_rate" -> 2;
            case MetricColumn.AVERAGE_LENGTH -> 3;
            default -> 4;
        };
    }

    private HeadToHead headToHead(StoredJudgedExamples storedA, StoredJudgedExamples storedB, SharedExamples shared) {
        JudgedExamples a = storedA.examples();
        JudgedExamples b = storedB.examples();
        List<double[]> rows = new ArrayList<>();
        int winsA = 0;
        int winsB = 0;
        int ties = 0;
        for (int i = 0; i < shared.size(); i++) {
            int ra = shared.rowsA()[i];
            int rb = shared.rowsB()[i];
            double sa = JudgedExamples.winShare(a.preferences()[ra]);
            double sb = JudgedExamples.winShare(b.preferences()[rb]);
            if (a.referenceHashes()[ra] != b.referenceHashes()[rb] || Double.isNaN(sa) || Double.isNaN(sb)) {
                continue;
            }
            double outcome = sa > sb ? 1 : sa < sb ? 0 : 0.5;
            if (outcome == 1) {
                winsA++;
            } else if (outcome == 0) {
                winsB++;
            } else {
                ties++;
            }
            rows.add(new double[] {outcome, a.difficulties() == null ? Double.NaN : a.difficulties()[ra]});
        }
        int m = rows.size();
        if (m == 0) {
            return null;
        }
        double[] outcomes = rows.stream().mapToDouble(r -> r[0]).toArray();
        double winRate = 100 * mean(outcomes);
        BootstrapScheme scheme = tests.scheme();
        double[] replicates = new double[scheme.resamples()];
        int[] draw = new int[m];
        for (int r = 0; r < replicates.length; r++) {
            scheme.draw(r, m, draw);
            double s = 0;
            for (int i : draw) {
                s += outcomes[i];
            }
            replicates[r] = 100 * s / m - 50;
        }
        PairedDifference test = PercentileBootstrap.ofDifferences(winRate - 50, replicates, m);
        return new HeadToHead(
                m,
                winsA,
                winsB,
                ties,
                winRate,
                test.lower() + 50,
                test.upper() + 50,
                test.pValue(),
                scheme.resamples(),
                predicted(storedA, storedB, rows));
    }

    /** AlpacaEval's predict_winrate: mean of s((theta_A - theta_B) + (gamma_A - gamma_B) d_i). */
    private static Double predicted(StoredJudgedExamples a, StoredJudgedExamples b, List<double[]> rows) {
        GlmWeights wa = weights(a);
        GlmWeights wb = weights(b);
        if (wa == null || wb == null) {
            return null;
        }
        double sum = 0;
        for (double[] row : rows) {
            if (Double.isNaN(row[1])) {
                return null;
            }
            sum += 1 / (1 + Math.exp(-((wa.thetaModel() - wb.thetaModel()) + (wa.gamma() - wb.gamma()) * row[1])));
        }
        return 100 * sum / rows.size();
    }

    private static GlmWeights weights(StoredJudgedExamples stored) {
        if (stored.examples().baselineIsModel()) {
            return GlmWeights.ZERO;
        }
        return stored.replicates().weights();
    }

    private TaskComparison scoredTask(
            LeaderboardEntry a, LeaderboardEntry b, List<ScoredExamples> seriesA, List<ScoredExamples> seriesB) {
        List<MetricComparison> metrics = new ArrayList<>();
        int sharedDocs = 0;
        int onlyA = 0;
        int onlyB = 0;
        boolean counted = false;
        for (MetricValue m : a.metrics()) {
            Optional<MetricValue> other = b.metric(m.metric(), m.filter());
            if (other.isEmpty()) {
                continue;
            }
            ScoredExamples sa = find(seriesA, m.metric(), m.filter());
            ScoredExamples sb = find(seriesB, m.metric(), m.filter());
            PairedComparisons.Outcome outcome = tests.scored(sa, sb);
            metrics.add(new MetricComparison(
                    m.metric(),
                    m.filter(),
                    m.value(),
                    other.get().value(),
                    outcome.difference(),
                    outcome.unavailable()));
            if (!counted && sa != null && sb != null) {
                sharedDocs = SharedExamples.of(sa.docIds(), sb.docIds()).size();
                onlyA = sa.size() - sharedDocs;
                onlyB = sb.size() - sharedDocs;
                counted = true;
            }
        }
        return new TaskComparison(a.task(), false, null, null, sharedDocs, onlyA, onlyB, metrics, null, null);
    }

    private static List<MetricComparison> metricsWithoutTests(LeaderboardEntry a, LeaderboardEntry b, String reason) {
        List<MetricComparison> metrics = new ArrayList<>();
        for (MetricValue m : a.metrics()) {
            b.metric(m.metric(), m.filter())
                    .ifPresent(other -> metrics.add(
                            new MetricComparison(m.metric(), m.filter(), m.value(), other.value(), null, reason)));
        }
        return metrics;
    }

    private ExamplePage judgedExamples(
            LeaderboardEntry ea,
            LeaderboardEntry eb,
            StoredJudgedExamples storedA,
            StoredJudgedExamples storedB,
            int page,
            int size) {
        if (storedA == null || storedB == null) {
            return new ExamplePage(ea.task(), null, null, page, size, 0, List.of());
        }
        JudgedExamples a = storedA.examples();
        JudgedExamples b = storedB.examples();
        SharedExamples shared = SharedExamples.of(a, b);
        List<int[]> order = new ArrayList<>();
        double[] differences = new double[shared.size()];
        for (int i = 0; i < shared.size(); i++) {
            differences[i] = JudgedExamples.winShare(a.preferences()[shared.rowsA()[i]])
                    - JudgedExamples.winShare(b.preferences()[shared.rowsB()[i]]);
            order.add(new int[] {i});
        }
        order.sort(largestFirst(differences));
        List<int[]> pageRows = slice(order, page, size);
        List<String> keys =
                pageRows.stream().map(r -> a.keys()[shared.rowsA()[r[0]]]).toList();
        Map<String, JudgedExample> rowsA = store.judgedExamples(ea.taskId(), ea.annotator(), keys);
        Map<String, JudgedExample> rowsB = store.judgedExamples(eb.taskId(), eb.annotator(), keys);
        List<ExampleDifference> items = new ArrayList<>();
        for (int[] r : pageRows) {
            String key = a.keys()[shared.rowsA()[r[0]]];
            JudgedExample x = rowsA.get(key);
            JudgedExample y = rowsB.get(key);
            double d = differences[r[0]];
            items.add(new ExampleDifference(
                    key,
                    Double.isNaN(d) ? null : d,
                    x == null ? null : x.instruction(),
                    x == null ? null : x.reference(),
                    x == null
                            ? null
                            : new ExampleSide(x.preference(), x.output(), x.modelShownFirst(), x.rawCompletion(), null),
                    y == null
                            ? null
                            : new ExampleSide(
                                    y.preference(), y.output(), y.modelShownFirst(), y.rawCompletion(), null)));
        }
        return new ExamplePage(ea.task(), null, null, page, size, shared.size(), items);
    }

    private ExamplePage scoredExamples(
            LeaderboardEntry ea,
            LeaderboardEntry eb,
            List<ScoredExamples> seriesA,
            List<ScoredExamples> seriesB,
            String metric,
            int page,
            int size) {
        ScoredExamples sa;
        ScoredExamples sb;
        if (metric != null) {
            String[] parts = metric.split(":", 2);
            String filter = parts.length == 2 ? parts[1] : "none";
            sa = find(seriesA, parts[0], filter);
            sb = find(seriesB, parts[0], filter);
            if (sa == null || sb == null) {
                throw new NothingSharedException(
                        "metric",
                        "the two sides do not both have per-document values of '" + metric + "' in task '" + ea.task()
                                + "'");
            }
        } else {
            sa = null;
            sb = null;
            for (ScoredExamples s : seriesA) {
                ScoredExamples t = find(seriesB, s.metric(), s.filter());
                if (t != null) {
                    sa = s;
                    sb = t;
                    break;
                }
            }
            if (sa == null) {
                return new ExamplePage(ea.task(), null, null, page, size, 0, List.of());
            }
        }
        ScoredExamples seriesOfA = sa;
        SharedExamples shared = SharedExamples.of(sa.docIds(), sb.docIds());
        double[] differences = new double[shared.size()];
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) {
            differences[i] = sa.values()[shared.rowsA()[i]] - sb.values()[shared.rowsB()[i]];
            order.add(new int[] {i});
        }
        order.sort(largestFirst(differences));
        List<int[]> pageRows = slice(order, page, size);
        List<Integer> docs = pageRows.stream()
                .map(r -> seriesOfA.docIds()[shared.rowsA()[r[0]]])
                .toList();
        Map<Integer, JsonNode> recordsA = store.sampleRecords(ea.taskId(), docs);
        Map<Integer, JsonNode> recordsB = store.sampleRecords(eb.taskId(), docs);
        List<ExampleDifference> items = new ArrayList<>();
        for (int[] r : pageRows) {
            int doc = sa.docIds()[shared.rowsA()[r[0]]];
            items.add(new ExampleDifference(
                    Integer.toString(doc),
                    differences[r[0]],
                    null,
                    null,
                    new ExampleSide(
                            sa.values()[shared.rowsA()[r[0]]], null, null, recordsA.get(doc), scoresOf(seriesA, doc)),
                    new ExampleSide(
                            sb.values()[shared.rowsB()[r[0]]], null, null, recordsB.get(doc), scoresOf(seriesB, doc))));
        }
        return new ExamplePage(ea.task(), sa.metric(), sa.filter(), page, size, shared.size(), items);
    }

    private static Map<String, Double> scoresOf(List<ScoredExamples> series, int doc) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (ScoredExamples s : series) {
            int i = Arrays.binarySearch(s.docIds(), doc);
            if (i >= 0) {
                scores.put("none".equals(s.filter()) ? s.metric() : s.metric() + "," + s.filter(), s.values()[i]);
            }
        }
        return scores;
    }

    /** Largest absolute difference first, undefined ones last, then canonical order. */
    private static Comparator<int[]> largestFirst(double[] differences) {
        return Comparator.comparingDouble(
                        (int[] r) -> Double.isNaN(differences[r[0]]) ? -1 : Math.abs(differences[r[0]]))
                .reversed()
                .thenComparingInt(r -> r[0]);
    }

    private static List<int[]> slice(List<int[]> rows, int page, int size) {
        long from = (long) page * size;
        if (from >= rows.size()) {
            return List.of();
        }
        return rows.subList((int) from, (int) Math.min(rows.size(), from + size));
    }

    private static ScoredExamples find(List<ScoredExamples> series, String metric, String filter) {
        return series.stream()
                .filter(s -> s.metric().equals(metric) && s.filter().equals(filter))
                .findFirst()
                .orElse(null);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static UUID parseUuid(String value) {
        try {
            return value.length() == 36 ? UUID.fromString(value) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
