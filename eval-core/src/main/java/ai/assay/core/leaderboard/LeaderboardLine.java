package ai.assay.core.leaderboard;

import ai.assay.core.evaluation.MetricValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One row of a leaderboard: one evaluation (a model's latest, unless all were asked for).
 *
 * @param rank position in the sort order, from 1; null for rows without a value in the sort column (listed last)
 * @param firstRank the best rank the tests allow (the first rank of the row's tie group), or null
 * @param lastRank the worst, or null
 * @param tieGroup the row's tie group, numbered from 1 in sort order, or null
 * @param values column id to the metric value
 * @param average HALOs' {@code avg}, the mean of the row's benchmark metric values; null without any
 * @param interval the 95% interval of the row's sort-column value, or null (see {@link RowInterval})
 * @param next the test against the next row, or null for the last ranked row
 * @param notes why some per-example statistics of the row are unavailable
 */
public record LeaderboardLine(
        Integer rank,
        Integer firstRank,
        Integer lastRank,
        Integer tieGroup,
        String modelName,
        UUID evaluationId,
        Instant finishedAt,
        Map<String, String> labels,
        Map<String, MetricValue> values,
        Double average,
        RowInterval interval,
        NeighbourComparison next,
        List<String> notes) {}
