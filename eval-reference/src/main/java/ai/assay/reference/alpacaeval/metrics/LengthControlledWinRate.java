package ai.assay.reference.alpacaeval.metrics;

import ai.assay.reference.alpacaeval.data.GamedBaselineRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AlpacaEval's length-controlled win rate, GLM {@code length_controlled_v1} ({@code metrics/glm_winrate.py}).
 *
 * <p>Training rows: first every gamed-baseline row with a preference (features tanh(std_delta_len), difficulty, 0;
 * weight lambda/2 = 0.1), then every model row with a preference (features tanh(delta/sd(delta)), difficulty, 1; weight
 * 1), where delta = baseline length minus model length in code points and sd is the sample standard deviation over
 * all of the model's rows. Labels are soft: preference - 1 in [0, 1] for model rows. The GLM has no intercept and is
 * fitted as an L1-regularised logistic regression whose C is chosen by 5-fold grouped cross-validation over
 * {@link #CS} on the weighted soft log-loss (first best C), then refitted on all training rows. The length-controlled
 * win rate is 100 times the mean over all model rows of s(gamma d_i + theta_m).
 *
 * <p>Thread-safe: each call uses its own working arrays.
 */
public final class LengthControlledWinRate {

    /** {@code np.logspace(-4, 4, 10)}, bit for bit (numpy's first value is not exactly 1e-4). */
    public static final List<Double> CS = List.of(
            9.999999999999999e-05,
            0.000774263682681127,
            0.005994842503189409,
            0.046415888336127774,
            0.3593813663804626,
            2.782559402207126,
            21.54434690031882,
            166.81005372000556,
            1291.5496650148827,
            10000.0);

    /** Strength of the regularisation toward the baseline ({@code regularize_to_baseline_lambda}). */
    public static final double REGULARIZE_TO_BASELINE_LAMBDA = 0.2;

    public static final int CV_FOLDS = 5;

    private static final double[] GRID =
            CS.stream().mapToDouble(Double::doubleValue).toArray();

    private final GamedBaselineRows gamedBaseline;
    private final FoldAssignment foldAssignment;
    /** The gamed-baseline training rows (those with a preference), the same for every fit: features, weight, label. */
    private final double[][] gamedRows;

    /** With scikit-learn's fold assignment under numpy's portable sort ({@link FoldAssignment#numpyGroupKFold()}). */
    public LengthControlledWinRate(GamedBaselineRows gamedBaseline) {
        this(gamedBaseline, FoldAssignment.numpyGroupKFold());
    }

    /** @throws IllegalArgumentException if a gamed-baseline row with a preference is not a valid training row */
    public LengthControlledWinRate(GamedBaselineRows gamedBaseline, FoldAssignment foldAssignment) {
        this.gamedBaseline = gamedBaseline;
        this.foldAssignment = foldAssignment;
        this.gamedRows = gamedTrainingRows(gamedBaseline);
    }

    private static double[][] gamedTrainingRows(GamedBaselineRows gamed) {
        int rows = 0;
        for (double p : gamed.preference()) {
            if (!Double.isNaN(p)) {
                rows++;
            }
        }
        double[][] columns = new double[5][rows];
        int r = 0;
        for (int g = 0; g < gamed.size(); g++) {
            double p = gamed.preference()[g];
            if (Double.isNaN(p)) {
                continue;
            }
            boolean notGamed = gamed.notGamedBaseline()[g];
            columns[0][r] = StrictMath.tanh(gamed.stdDeltaLength()[g]);
            columns[1][r] = gamed.instructionDifficulty()[g];
            columns[2][r] = notGamed ? 1 : 0;
            // upstream: not_gamed_baseline + lambda * (not not_gamed_baseline) / 2, "two gamed baselines"
            columns[3][r] = notGamed ? 1 : REGULARIZE_TO_BASELINE_LAMBDA / 2;
            columns[4][r] = p;
            if (!Double.isFinite(columns[0][r]) || !Double.isFinite(columns[1][r]) || !(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("gamed-baseline row " + g + " is not a valid training row");
            }
            r++;
        }
        return columns;
    }

    public GamedBaselineRows gamedBaseline() {
        return gamedBaseline;
    }

    /**
     * AlpacaEval's procedure: C by cross-validation, then the refit at that C.
     *
     * @throws IllegalArgumentException for no rows, a preference outside AlpacaEval's encoding, or a non-finite feature
     *     (e.g. all length differences equal)
     */
    public LengthControlledResult compute(LengthControlInput input) {
        TrainingSet training = trainingSet(input);
        SoftLabelLogisticRegression regression = training.regression();
        int[] foldStart = training.foldStart;
        double[] scoreSum = new double[GRID.length];
        double[][] betaSum = new double[GRID.length][SoftLabelLogisticRegression.FEATURES];
        double[] beta = new double[SoftLabelLogisticRegression.FEATURES];
        for (int fold = 0; fold < CV_FOLDS; fold++) {
            Arrays.fill(beta, 0);
            for (int i = 0; i < GRID.length; i++) {
                // C grows along the grid: each fit starts from the previous solution
                regression.fit(foldStart[fold], foldStart[fold + 1], GRID[i], 1, beta);
                scoreSum[i] += regression.heldOutScore(foldStart[fold], foldStart[fold + 1], beta);
                for (int j = 0; j < beta.length; j++) {
                    betaSum[i][j] += beta[j];
                }
            }
        }
        int best = 0;
        for (int i = 1; i < GRID.length; i++) {
            if (scoreSum[i] > scoreSum[best]) {
                best = i;
            }
        }
        for (int j = 0; j < beta.length; j++) {
            beta[j] = betaSum[best][j] / CV_FOLDS;
        }
        regression.fit(0, 0, GRID[best], 1, beta);
        List<Double> meanScores = new ArrayList<>(GRID.length);
        for (double sum : scoreSum) {
            meanScores.add(sum / CV_FOLDS);
        }
        return result(input, beta, GRID[best], meanScores);
    }

    /** The L1 fit at a given C on all training rows, without cross-validation. */
    public LengthControlledResult computeAtC(LengthControlInput input, double c) {
        double[] beta = new double[SoftLabelLogisticRegression.FEATURES];
        trainingSet(input).regression().fit(0, 0, c, 1, beta);
        return result(input, beta, c, List.of());
    }

    /** The plain weighted soft-label maximum-likelihood fit (no L1 penalty, no cross-validation). */
    public LengthControlledResult computeUnpenalised(LengthControlInput input) {
        double[] beta = new double[SoftLabelLogisticRegression.FEATURES];
        trainingSet(input).regression().fit(0, 0, 1, 0, beta);
        return result(input, beta, null, List.of());
    }

    /** What upstream reports when the evaluated model is the baseline: no fit, every prediction 0.5. */
    public static LengthControlledResult baselineAgainstItself() {
        return new LengthControlledResult(50, 0, GlmWeights.ZERO, null, List.of());
    }

    private static LengthControlledResult result(
            LengthControlInput input, double[] beta, Double c, List<Double> cvMeanScores) {
        double[] difficulties = input.difficulties();
        int n = difficulties.length;
        double[] predicted = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            predicted[i] = 1 / (1 + StrictMath.exp(-(beta[1] * difficulties[i] + beta[2])));
            sum += predicted[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (double q : predicted) {
            squares += (q - mean) * (q - mean);
        }
        double standardError = n > 1 ? Math.sqrt(squares / (n - 1)) / Math.sqrt(n) : Double.NaN;
        return new LengthControlledResult(
                100 * mean, 100 * standardError, new GlmWeights(beta[0], beta[1], beta[2]), c, cvMeanScores);
    }

    private TrainingSet trainingSet(LengthControlInput input) {
        int n = input.size();
        if (n == 0) {
            throw new IllegalArgumentException("no annotations to fit");
        }
        double lengthSd = sampleSd(input.baselineLengths(), input.modelLengths());

        int gamedCount = gamedRows[0].length;
        int rows = gamedCount;
        for (double p : input.preferences()) {
            if (!Double.isNaN(p)) {
                rows++;
            }
        }
        double[] x0 = new double[rows];
        double[] x1 = new double[rows];
        double[] x2 = new double[rows];
        double[] weight = new double[rows];
        double[] label = new double[rows];
        System.arraycopy(gamedRows[0], 0, x0, 0, gamedCount);
        System.arraycopy(gamedRows[1], 0, x1, 0, gamedCount);
        System.arraycopy(gamedRows[2], 0, x2, 0, gamedCount);
        System.arraycopy(gamedRows[3], 0, weight, 0, gamedCount);
        System.arraycopy(gamedRows[4], 0, label, 0, gamedCount);
        int r = gamedCount;
        for (int i = 0; i < n; i++) {
            double preference = input.preferences()[i];
            if (Double.isNaN(preference)) {
                continue;
            }
            double p = (preference == 0.0 ? 1.5 : preference) - 1;
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("preference " + preference + " of row " + i
                        + " is not an AlpacaEval preference (1..2, 0 for a tie, NaN for none)");
            }
            x0[r] = StrictMath.tanh((input.baselineLengths()[i] - input.modelLengths()[i]) / lengthSd);
            x1[r] = input.difficulties()[i];
            x2[r] = 1;
            weight[r] = 1;
            label[r] = p;
            r++;
        }
        for (int t = gamedCount; t < rows; t++) {
            if (!Double.isFinite(x0[t]) || !Double.isFinite(x1[t])) {
                throw new LengthControlUndefinedException("a model row of the length-controlled fit has a non-finite"
                        + " feature: a single annotation, or every output as long as the baseline's");
            }
        }
        return TrainingSet.groupedByFold(x0, x1, x2, weight, label, foldAssignment.assign(rows, CV_FOLDS));
    }

    /** pandas' {@code std()} of baseline minus model length: two passes, divisor n - 1. */
    private static double sampleSd(int[] baselineLengths, int[] modelLengths) {
        int n = baselineLengths.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += baselineLengths[i] - modelLengths[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double deviation = baselineLengths[i] - modelLengths[i] - mean;
            squares += deviation * deviation;
        }
        return Math.sqrt(squares / (n - 1));
    }

    /** Training rows reordered so that each fold is one contiguous range. */
    private static final class TrainingSet {

        private final double[] x0;
        private final double[] x1;
        private final double[] x2;
        private final double[] weight;
        private final double[] label;
        /** Fold f holds rows [foldStart[f], foldStart[f + 1]). */
        private final int[] foldStart;

        private TrainingSet(double[] x0, double[] x1, double[] x2, double[] weight, double[] label, int[] foldStart) {
            this.x0 = x0;
            this.x1 = x1;
            this.x2 = x2;
            this.weight = weight;
            this.label = label;
            this.foldStart = foldStart;
        }

        static TrainingSet groupedByFold(
                double[] x0, double[] x1, double[] x2, double[] weight, double[] label, int[] foldOf) {
            int n = label.length;
            int[] foldStart = new int[CV_FOLDS + 1];
            for (int fold : foldOf) {
                foldStart[fold + 1]++;
            }
            for (int f = 0; f < CV_FOLDS; f++) {
                foldStart[f + 1] += foldStart[f];
            }
            int[] next = foldStart.clone();
            double[] gx0 = new double[n];
            double[] gx1 = new double[n];
            double[] gx2 = new double[n];
            double[] gWeight = new double[n];
            double[] gLabel = new double[n];
            for (int r = 0; r < n; r++) {
                int to = next[foldOf[r]]++;
                gx0[to] = x0[r];
                gx1[to] = x1[r];
                gx2[to] = x2[r];
                gWeight[to] = weight[r];
                gLabel[to] = label[r];
            }
            return new TrainingSet(gx0, gx1, gx2, gWeight, gLabel, foldStart);
        }

        SoftLabelLogisticRegression regression() {
            return new SoftLabelLogisticRegression(x0, x1, x2, weight, label);
        }
    }
}
