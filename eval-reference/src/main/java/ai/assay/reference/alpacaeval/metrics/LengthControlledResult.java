package ai.assay.reference.alpacaeval.metrics;

import java.util.List;

/**
 * The length-controlled win rate of one model and the fit behind it.
 *
 * @param winRate {@code length_controlled_winrate}: 100 times the mean predicted win probability with the length
 *     term switched off, over every annotation row
 * @param standardError {@code lc_standard_error}: 100 times the standard error of the mean of those predictions (it
 *     ignores fit and judge uncertainty)
 * @param weights the fitted GLM coefficients (all zero for the baseline against itself)
 * @param c the inverse regularisation strength used for the final fit; null when nothing was fitted (baseline
 *     against itself) or the fit was unpenalised
 * @param cvMeanScorePerC the fold-averaged cross-validation score for each C of {@link LengthControlledWinRate#CS};
 *     empty when C was not chosen by cross-validation
 */
public record LengthControlledResult(
        double winRate, double standardError, GlmWeights weights, Double c, List<Double> cvMeanScorePerC) {

    public LengthControlledResult {
        cvMeanScorePerC = List.copyOf(cvMeanScorePerC);
    }
}
