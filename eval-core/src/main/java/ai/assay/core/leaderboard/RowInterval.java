package ai.assay.core.leaderboard;

/**
 * The 95% interval of one row's value in the sort column: for WR and LCWR of judged tasks the percentile interval of
 * the row's own bootstrap replicates (for LCWR wider than AlpacaEval's {@code lc_standard_error}, which leaves out the
 * fit's uncertainty); for other columns value &plusmn; 1.96 stderr.
 *
 * @param method {@code bootstrap-percentile} or {@code normal-stderr}
 */
public record RowInterval(double lower, double upper, String method) {}
