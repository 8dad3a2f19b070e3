package ai.assay.reference.alpacaeval.metrics;

/**
 * The coefficients of AlpacaEval's {@code length_controlled_v1} GLM (upstream column names in brackets).
 *
 * @param thetaLength slope on tanh of the standardised length difference [{@code np.tanh(std_delta_len)}]
 * @param gamma slope on the instruction difficulty [{@code instruction_difficulty}]
 * @param thetaModel the model's own term [{@code not_gamed_baseline.astype(float)}]
 */
public record GlmWeights(double thetaLength, double gamma, double thetaModel) {

    public static final GlmWeights ZERO = new GlmWeights(0, 0, 0);
}
