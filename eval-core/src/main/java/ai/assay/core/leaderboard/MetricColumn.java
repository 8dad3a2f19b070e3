package ai.assay.core.leaderboard;

import java.util.Comparator;
import java.util.Optional;

/**
 * A leaderboard column: one metric under one filter of one task. Its id is {@code task:metric} for the filter
 * {@code none} and {@code task:metric:filter} otherwise; {@link #AVG} is HALOs' unweighted mean of the benchmark
 * metrics.
 */
public record MetricColumn(String task, String metric, String filter, boolean judged) {

    public static final String AVG = "avg";
    public static final String LENGTH_CONTROLLED_WIN_RATE = "length_controlled_winrate";
    public static final String WIN_RATE = "win_rate";
    public static final String AVERAGE_LENGTH = "avg_length";

    /** Judged tasks first (their headline metrics in a fixed order), then benchmark columns alphabetically. */
    public static final Comparator<MetricColumn> ORDER = Comparator.comparing((MetricColumn c) -> !c.judged)
            .thenComparing(MetricColumn::task)
            .thenComparingInt(MetricColumn::headlineRank)
            .thenComparing(MetricColumn::metric)
            .thenComparing(MetricColumn::filter);

    public String id() {
        return "none".equals(filter) ? task + ":" + metric : task + ":" + metric + ":" + filter;
    }

    /** Parses {@code task:metric} or {@code task:metric:filter}. */
    public static Optional<String[]> parse(String id) {
        String[] parts = id.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(parts.length == 2 ? new String[] {parts[0], parts[1], "none"} : parts);
    }

    private int headlineRank() {
        return switch (metric) {
            case LENGTH_CONTROLLED_WIN_RATE -> 0;
            case WIN_RATE -> 1;
            case "discrete_win_rate" -> 2;
            case AVERAGE_LENGTH -> 3;
            default -> 4;
        };
    }
}
