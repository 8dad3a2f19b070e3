package ai.assay.core.alpacaeval.metrics;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.reference.alpacaeval.metrics.AlpacaEvalScores;
import ai.assay.reference.alpacaeval.metrics.LengthControlledResult;
import ai.assay.reference.alpacaeval.metrics.WinRate;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How AlpacaEval's numbers are stored: as metric values of the {@code alpaca_eval} task (filter "none"), named as
 * in alpaca_eval's leaderboard.csv, win rates in percent as alpaca_eval reports them. Leaderboards and exports read
 * these names.
 */
public final class AlpacaEvalMetricValues {

    public static final String WIN_RATE = "win_rate";
    public static final String LENGTH_CONTROLLED_WIN_RATE = "length_controlled_winrate";
    public static final String DISCRETE_WIN_RATE = "discrete_win_rate";
    public static final String AVERAGE_LENGTH = "avg_length";
    public static final String WINS = "n_wins";
    public static final String BASELINE_WINS = "n_wins_base";
    public static final String DRAWS = "n_draws";
    public static final String TOTAL = "n_total";
    /**
     * Judged examples without a preference (the judge's answer could not be parsed after the re-asks, or the request
     * was refused): alpaca_eval counts them in no win rate, so {@code n_total} leaves them out. Assay's own name.
     */
    public static final String MISSING = "n_missing";

    private AlpacaEvalMetricValues() {}

    public static List<MetricValue> of(AlpacaEvalScores scores) {
        WinRate wr = scores.winRate();
        LengthControlledResult lc = scores.lengthControlled();
        int n = wr.nTotal();
        return List.of(
                new MetricValue(WIN_RATE, "none", wr.winRate(), finite(wr.standardError()), n),
                new MetricValue(LENGTH_CONTROLLED_WIN_RATE, "none", lc.winRate(), finite(lc.standardError()), n),
                new MetricValue(DISCRETE_WIN_RATE, "none", wr.discreteWinRate(), null, n),
                new MetricValue(AVERAGE_LENGTH, "none", scores.averageLength(), null, n),
                new MetricValue(WINS, "none", wr.nWins(), null, n),
                new MetricValue(BASELINE_WINS, "none", wr.nWinsBase(), null, n),
                new MetricValue(DRAWS, "none", wr.nDraws(), null, n),
                new MetricValue(TOTAL, "none", n, null, n));
    }

    /**
     * {@link #of(AlpacaEvalScores)} and {@value #MISSING}, for a task that judged {@code missing} more examples than
     * {@code scores} counts. Its {@code n} is every judged example, the missing ones included.
     */
    public static List<MetricValue> of(AlpacaEvalScores scores, int missing) {
        List<MetricValue> values = new ArrayList<>(of(scores));
        values.add(
                new MetricValue(MISSING, "none", missing, null, scores.winRate().nTotal() + missing));
        return List.copyOf(values);
    }

    /** What the task reports beyond its metrics: the fitted length model, for people who check it. */
    public static ObjectNode glmResult(AlpacaEvalScores scores) {
        LengthControlledResult lc = scores.lengthControlled();
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ObjectNode glm = result.putObject("lengthControlModel");
        glm.put("name", "length_controlled_v1");
        glm.put("thetaLength", lc.weights().thetaLength());
        glm.put("gamma", lc.weights().gamma());
        glm.put("thetaModel", lc.weights().thetaModel());
        if (lc.c() != null) {
            glm.put("regularizationC", lc.c());
        }
        return result;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
