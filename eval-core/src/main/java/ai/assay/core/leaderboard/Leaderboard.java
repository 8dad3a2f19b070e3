package ai.assay.core.leaderboard;

import java.util.List;

/**
 * A ranked leaderboard with its neighbour tests.
 *
 * @param annotator the judge whose results are shown, or null when there are no judged results
 * @param annotators every judge with results under the query's labels and task, the most frequent first
 * @param sortColumn the column the rows are sorted and tested on (a column id or {@code avg})
 * @param lines every row, in order
 */
public record Leaderboard(
        LeaderboardQuery query,
        String annotator,
        List<String> annotators,
        List<MetricColumn> columns,
        String sortColumn,
        List<LeaderboardLine> lines,
        long generation) {

    /** The family-wise error rate of the neighbour tests after Holm's correction. */
    public static final double ALPHA = 0.05;
}
