package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One succeeded task of an ended evaluation as the leaderboard stores it.
 *
 * @param annotator the judge of a judged (AlpacaEval-style) task; null for benchmark tasks
 * @param note why per-example statistics are missing or partial, or null
 */
public record LeaderboardEntry(
        long taskId,
        UUID evaluationId,
        String modelName,
        String task,
        String annotator,
        Map<String, String> labels,
        Instant finishedAt,
        List<MetricValue> metrics,
        String note) {

    public LeaderboardEntry {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        metrics = List.copyOf(metrics);
    }

    public boolean judged() {
        return annotator != null;
    }

    public Optional<MetricValue> metric(String metric, String filter) {
        return metrics.stream()
                .filter(m -> m.metric().equals(metric) && m.filter().equals(filter))
                .findFirst();
    }
}
