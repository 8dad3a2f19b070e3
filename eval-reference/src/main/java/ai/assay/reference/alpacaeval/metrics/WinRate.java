package ai.assay.reference.alpacaeval.metrics;

/**
 * AlpacaEval's head-to-head summary of one model against the baseline ({@code get_winrate}). Percentages are on the
 * 0-100 scale; {@code winRate} and {@code standardError} are NaN when no row has a valid preference (standard error
 * also when only one has).
 *
 * @param winRate mean of (preference - 1), times 100: for a weighted judge the mean probability that the model wins
 * @param standardError sample standard deviation (n - 1) of (preference - 1) over sqrt(n), times 100
 * @param nWins rows with preference above 1.5
 * @param nWinsBase rows with preference below 1.5
 * @param nDraws rows with preference exactly 1.5 or the legacy tie 0
 * @param nTotal rows with a valid preference in [1, 2] (after 0 became 1.5)
 * @param discreteWinRate the win rate after rounding each preference to a win, a loss or (exactly 1.5) a tie
 */
public record WinRate(
        double winRate,
        double standardError,
        int nWins,
        int nWinsBase,
        int nDraws,
        int nTotal,
        double discreteWinRate) {}
