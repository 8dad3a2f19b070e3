package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import ai.assay.reference.statistics.BootstrapScheme;
import ai.assay.reference.statistics.ExactMcNemar;
import ai.assay.reference.statistics.MeanBootstrap;
import ai.assay.reference.statistics.PairedDifference;
import ai.assay.reference.statistics.PairedZ;
import ai.assay.reference.statistics.PercentileBootstrap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The paired tests of two results on one metric, over the examples both share (docs/leaderboard.md):
 * <ul>
 * <li>WR and LCWR of judged tasks: paired bootstrap. With the same example set on both sides, the replicates stored
 * at aggregation are exactly the paired resamples, so the test reads them; otherwise both sides are restricted to
 * the shared examples and resampled here (LCWR refits each resample: about 2 s).</li>
 * <li>0/1 benchmark metrics: exact McNemar; other per-document metrics: paired bootstrap of the mean difference.</li>
 * <li>{@code avg}: paired z-test over the benchmark metrics both have per-document values for.</li>
 * </ul>
 */
public final class PairedComparisons {

    /** A test result, or why there is none. */
    public record Outcome(PairedDifference difference, String unavailable) {

        static Outcome of(PairedDifference difference) {
            return new Outcome(difference, null);
        }

        static Outcome none(String reason) {
            return new Outcome(null, reason);
        }
    }

    private final LeaderboardStore store;
    private final LengthControlModel lengthControl;
    private final BootstrapScheme scheme;
    private final HeadToHeadBootstrap bootstrap;

    public PairedComparisons(LeaderboardStore store, LengthControlModel lengthControl, BootstrapScheme scheme) {
        this.store = store;
        this.lengthControl = lengthControl;
        this.scheme = scheme;
        this.bootstrap = new HeadToHeadBootstrap(scheme);
    }

    public BootstrapScheme scheme() {
        return scheme;
    }

    public static boolean hasJudgedTest(String metric) {
        return MetricColumn.WIN_RATE.equals(metric) || MetricColumn.LENGTH_CONTROLLED_WIN_RATE.equals(metric);
    }

    /**
     * WR or LCWR of two judged entries.
     *
     * @param storedA what the store holds for A (replicates at least), or null when it has nothing
     */
    public Outcome judged(
            String metric,
            LeaderboardEntry a,
            LeaderboardEntry b,
            StoredJudgedExamples storedA,
            StoredJudgedExamples storedB) {
        boolean lc = MetricColumn.LENGTH_CONTROLLED_WIN_RATE.equals(metric);
        if (storedA == null || storedB == null) {
            return Outcome.none("no per-example judgments are stored for "
                    + (storedA == null ? "the first" : "the second") + " result");
        }
        Optional<MetricValue> valueA = a.metric(metric, "none");
        Optional<MetricValue> valueB = b.metric(metric, "none");
        boolean sameSet = storedA.exampleSetHash().equals(storedB.exampleSetHash())
                && storedA.replicates().scheme().equals(scheme)
                && storedB.replicates().scheme().equals(scheme);
        if (sameSet && valueA.isPresent() && valueB.isPresent()) {
            float[] repA = lc
                    ? storedA.replicates().lengthControlled()
                    : storedA.replicates().winRate();
            float[] repB = lc
                    ? storedB.replicates().lengthControlled()
                    : storedB.replicates().winRate();
            if (repA != null && repB != null) {
                return Outcome.of(PercentileBootstrap.of(
                        valueA.get().value() - valueB.get().value(), repA, repB, storedA.exampleCount()));
            }
        }
        LengthControlledWinRate model = null;
        if (lc) {
            model = lengthControl.get().orElse(null);
            if (model == null) {
                return Outcome.none(lengthControl.unavailableReason());
            }
        }
        JudgedExamples examplesA = storedA.examples();
        JudgedExamples examplesB = storedB.examples();
        if (examplesA == null || examplesB == null) {
            Map<Long, StoredJudgedExamples> loaded = store.judgedExamples(List.of(a.taskId(), b.taskId()));
            examplesA = loaded.get(a.taskId()).examples();
            examplesB = loaded.get(b.taskId()).examples();
        }
        SharedExamples shared = SharedExamples.of(examplesA, examplesB);
        if (shared.size() < 2) {
            return Outcome.none("the two results share fewer than two examples");
        }
        JudgedExamples sharedA = examplesA.select(shared.rowsA());
        JudgedExamples sharedB = examplesB.select(shared.rowsB());
        if (!lc) {
            float[] repA = bootstrap.winRateReplicates(sharedA);
            float[] repB = bootstrap.winRateReplicates(sharedB);
            double estimate = HeadToHeadBootstrap.winRate(sharedA.preferences())
                    - HeadToHeadBootstrap.winRate(sharedB.preferences());
            return Outcome.of(PercentileBootstrap.of(estimate, repA, repB, shared.size()));
        }
        HeadToHeadReplicates repA =
                bootstrap.replicates(sharedA, model, null, storedA.replicates().c());
        HeadToHeadReplicates repB =
                bootstrap.replicates(sharedB, model, null, storedB.replicates().c());
        if (repA.lengthControlled() == null || repB.lengthControlled() == null) {
            return Outcome.none(repA.note() != null ? repA.note() : repB.note());
        }
        double estimate = HeadToHeadBootstrap.lengthControlledWinRate(sharedA, model)
                - HeadToHeadBootstrap.lengthControlledWinRate(sharedB, model);
        return Outcome.of(
                PercentileBootstrap.of(estimate, repA.lengthControlled(), repB.lengthControlled(), shared.size()));
    }

    /** One benchmark metric of two results. */
    public Outcome scored(ScoredExamples a, ScoredExamples b) {
        if (a == null || b == null) {
            return Outcome.none(
                    "no per-document scores are stored for " + (a == null ? "the first" : "the second") + " result");
        }
        SharedExamples shared = SharedExamples.of(a.docIds(), b.docIds());
        int n = shared.size();
        if (n == 0) {
            return Outcome.none("the two results share no documents");
        }
        if (a.binary() && b.binary()) {
            int onlyA = 0;
            int onlyB = 0;
            for (int i = 0; i < n; i++) {
                double x = a.values()[shared.rowsA()[i]];
                double y = b.values()[shared.rowsB()[i]];
                if (x > y) {
                    onlyA++;
                } else if (y > x) {
                    onlyB++;
                }
            }
            return Outcome.of(ExactMcNemar.of(onlyA, onlyB, n));
        }
        double[] differences = new double[n];
        for (int i = 0; i < n; i++) {
            differences[i] = a.values()[shared.rowsA()[i]] - b.values()[shared.rowsB()[i]];
        }
        return Outcome.of(MeanBootstrap.of(differences, scheme));
    }

    /**
     * HALOs' {@code avg} of two results: per task, the per-document sum of A minus B over the metrics both have,
     * on the documents all of them share.
     *
     * @param seriesA task name to that task's series for A
     */
    public Outcome average(Map<String, List<ScoredExamples>> seriesA, Map<String, List<ScoredExamples>> seriesB) {
        List<double[]> perTask = new ArrayList<>();
        int metrics = 0;
        for (Map.Entry<String, List<ScoredExamples>> task : seriesA.entrySet()) {
            List<ScoredExamples> other = seriesB.get(task.getKey());
            if (other == null) {
                continue;
            }
            Map<String, ScoredExamples> byKey = new HashMap<>();
            other.forEach(s -> byKey.put(s.metric() + "," + s.filter(), s));
            List<ScoredExamples[]> pairs = new ArrayList<>();
            for (ScoredExamples s : task.getValue()) {
                ScoredExamples t = byKey.get(s.metric() + "," + s.filter());
                if (t != null) {
                    pairs.add(new ScoredExamples[] {s, t});
                }
            }
            if (pairs.isEmpty()) {
                continue;
            }
            int[] docs = pairs.get(0)[0].docIds();
            for (ScoredExamples[] pair : pairs) {
                docs = intersect(docs, pair[0].docIds());
                docs = intersect(docs, pair[1].docIds());
            }
            double[] sums = new double[docs.length];
            for (ScoredExamples[] pair : pairs) {
                SharedExamples inA = SharedExamples.of(docs, pair[0].docIds());
                SharedExamples inB = SharedExamples.of(docs, pair[1].docIds());
                for (int i = 0; i < docs.length; i++) {
                    sums[i] += pair[0].values()[inA.rowsB()[i]] - pair[1].values()[inB.rowsB()[i]];
                }
            }
            perTask.add(sums);
            metrics += pairs.size();
        }
        if (metrics == 0) {
            return Outcome.none("the two results share no benchmark metric with per-document scores");
        }
        return Outcome.of(PairedZ.of(perTask, metrics));
    }

    private static int[] intersect(int[] a, int[] b) {
        SharedExamples shared = SharedExamples.of(a, b);
        int[] result = new int[shared.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = a[shared.rowsA()[i]];
        }
        return result;
    }
}
