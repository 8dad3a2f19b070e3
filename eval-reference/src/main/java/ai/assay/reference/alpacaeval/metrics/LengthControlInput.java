package ai.assay.reference.alpacaeval.metrics;

/**
 * One model's annotations as the length-controlled fit sees them, row by row in annotation order. The arrays are used
 * as given, not copied (the fit runs many times on bootstrap resamples); do not change them while a fit runs.
 *
 * @param preferences AlpacaEval preferences (1 = baseline better, 2 = model better, 1.5 or 0 = tie, NaN = none)
 * @param baselineLengths length of output_1 (the baseline) in code points
 * @param modelLengths length of output_2 (the model) in code points
 * @param difficulties the instruction difficulty of each row; AlpacaEval's own choice is
 *     {@link ai.assay.reference.alpacaeval.data.GamedBaselineRows#difficultiesByPosition(int)}
 */
public record LengthControlInput(
        double[] preferences, int[] baselineLengths, int[] modelLengths, double[] difficulties) {

    public LengthControlInput {
        int n = preferences.length;
        if (baselineLengths.length != n || modelLengths.length != n || difficulties.length != n) {
            throw new IllegalArgumentException("all columns of the length-control input must have the same length");
        }
    }

    public int size() {
        return preferences.length;
    }
}
