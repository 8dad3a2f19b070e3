package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.EvaluationEndListener;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.leaderboard.LeaderboardStore.EndedEvaluation;
import ai.assay.core.leaderboard.LeaderboardStore.Judgment;
import ai.assay.core.leaderboard.LeaderboardStore.SucceededTask;
import ai.assay.reference.alpacaeval.metrics.LengthControlledWinRate;
import ai.assay.reference.statistics.BootstrapScheme;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Precomputes the leaderboard aggregates of an evaluation in the transaction that ends it: for each succeeded task
 * with metrics, an entry with the metrics, and the per-example data the paired tests need (for judged tasks also the
 * bootstrap replicates of WR and LCWR, about a second of CPU for 805 examples). Running it again for the same
 * evaluation replaces what it wrote. A task whose per-example data cannot be used still gets its entry, with a note
 * saying why; only database errors propagate (and roll the ending back).
 */
@Component
public class LeaderboardAggregator implements EvaluationEndListener {

    private static final Logger log = LoggerFactory.getLogger(LeaderboardAggregator.class);

    private final LeaderboardStore store;
    private final LengthControlModel lengthControl;
    private final HeadToHeadBootstrap bootstrap;

    public LeaderboardAggregator(LeaderboardStore store, LengthControlModel lengthControl) {
        this.store = store;
        this.lengthControl = lengthControl;
        this.bootstrap = new HeadToHeadBootstrap(BootstrapScheme.DEFAULT);
    }

    @Override
    public void evaluationEnded(UUID evaluationId) {
        EndedEvaluation evaluation = store.endedEvaluation(evaluationId).orElse(null);
        if (evaluation == null) {
            return;
        }
        store.deleteEntries(evaluationId);
        for (SucceededTask task : store.succeededTasks(evaluationId)) {
            List<MetricValue> metrics = store.metricValues(task.id());
            if (metrics.isEmpty()) {
                continue;
            }
            List<String> annotators = store.annotators(task.id());
            if (annotators.isEmpty()) {
                aggregateBenchmark(evaluation, task, metrics);
            } else {
                String annotator =
                        annotators.contains(task.annotatorOption()) ? task.annotatorOption() : annotators.get(0);
                aggregateJudged(evaluation, task, metrics, annotator);
            }
        }
        store.bumpGeneration();
    }

    private void aggregateBenchmark(EndedEvaluation evaluation, SucceededTask task, List<MetricValue> metrics) {
        SampleScores scores = new SampleScores();
        store.sampleScores(task.id(), scores::add);
        List<ScoredExamples> series = scores.series();
        String note = series.isEmpty() ? "no per-example scores: paired tests are unavailable" : null;
        store.insertEntry(entry(evaluation, task, null, metrics, note));
        store.insertScored(task.id(), series);
    }

    private void aggregateJudged(
            EndedEvaluation evaluation, SucceededTask task, List<MetricValue> metrics, String annotator) {
        List<Judgment> judgments = store.judgments(task.id(), annotator);
        JudgedExamples examples = null;
        HeadToHeadReplicates replicates = null;
        String note;
        try {
            LengthControlledWinRate model = lengthControl.get().orElse(null);
            examples = examples(judgments, model);
            replicates = bootstrap.replicates(examples, model, lengthControl.unavailableReason());
            note = replicates.note();
        } catch (RuntimeException e) {
            log.warn(
                    "Per-example statistics of task {} ({}) of evaluation {} are unavailable",
                    task.id(),
                    task.name(),
                    evaluation.id(),
                    e);
            note = "per-example statistics could not be computed: " + e.getMessage();
        }
        store.insertEntry(entry(evaluation, task, annotator, metrics, note));
        if (replicates != null) {
            store.insertJudged(task.id(), examples, replicates);
        }
    }

    /** The judgments in canonical example order, with AlpacaEval's positional difficulties when there is a model. */
    static JudgedExamples examples(List<Judgment> judgments, LengthControlledWinRate model) {
        List<String> keys = judgments.stream().map(Judgment::exampleId).toList();
        Comparator<String> order = ExampleKeys.order(keys);
        List<Judgment> sorted = judgments.stream()
                .sorted(Comparator.comparing(Judgment::exampleId, order))
                .toList();
        int n = sorted.size();
        String[] ids = new String[n];
        double[] preferences = new double[n];
        int[] baseline = new int[n];
        int[] modelLengths = new int[n];
        long[] hashes = new long[n];
        for (int i = 0; i < n; i++) {
            Judgment j = sorted.get(i);
            ids[i] = j.exampleId();
            preferences[i] = j.preference() == null ? Double.NaN : j.preference();
            baseline[i] = j.baselineLength();
            modelLengths[i] = j.modelLength();
            hashes[i] = j.referenceHash();
        }
        double[] difficulties = null;
        if (model != null && n > 0) {
            try {
                difficulties = model.gamedBaseline().difficultiesByPosition(n);
            } catch (IllegalArgumentException e) {
                log.debug("No positional difficulties for {} rows", n, e);
            }
        }
        boolean baselineIsModel = n > 0
                && Objects.equals(sorted.get(0).generator1(), sorted.get(0).generator2());
        return new JudgedExamples(ids, preferences, baseline, modelLengths, difficulties, hashes, baselineIsModel);
    }

    private static LeaderboardEntry entry(
            EndedEvaluation evaluation, SucceededTask task, String annotator, List<MetricValue> metrics, String note) {
        return new LeaderboardEntry(
                task.id(),
                evaluation.id(),
                evaluation.modelName(),
                task.name(),
                annotator,
                evaluation.labels(),
                evaluation.finishedAt(),
                metrics,
                note);
    }
}
