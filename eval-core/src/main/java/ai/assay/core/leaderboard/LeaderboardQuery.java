package ai.assay.core.leaderboard;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a leaderboard shows.
 *
 * @param task only this task's columns, or null for all
 * @param annotator the judge whose judged results count, or null for the most frequent one
 * @param labels every label an evaluation must have
 * @param allEvaluations one row per evaluation instead of one per model (its latest)
 * @param sort a column id, {@code lcwr}, {@code wr} or {@code avg}; null for the default (LCWR when there is one,
 *     else avg)
 * @param ascending lowest first instead of highest first
 */
public record LeaderboardQuery(
        String task,
        String annotator,
        Map<String, String> labels,
        boolean allEvaluations,
        String sort,
        boolean ascending) {

    public LeaderboardQuery {
        labels = Map.copyOf(new TreeMap<>(labels));
    }
}
