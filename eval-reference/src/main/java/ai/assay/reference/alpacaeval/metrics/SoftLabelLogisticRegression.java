package ai.assay.reference.alpacaeval.metrics;

/**
 * Weighted logistic regression with soft labels on three features and no intercept, optionally L1-penalised, solved
 * to high precision. It minimises
 *
 * <pre>  l1 * ||b||_1 + C * sum_r w_r * [ -p_r log s(x_r.b) - (1 - p_r) log(1 - s(x_r.b)) ]</pre>
 *
 * over all rows, optionally less one contiguous range of them (a held-out fold). This is liblinear's L1
 * logistic objective on AlpacaEval's duplicated soft-label data (each row once as class 1 with weight w p and once as
 * class 0 with weight w (1 - p)), which has the same minimiser. liblinear stops at a loose tolerance and visits
 * coordinates in random order; this solver goes to the exact minimiser instead (proximal Newton: a quadratic model of
 * the smooth part, its L1 problem solved by cyclic coordinate descent, an Armijo line search), so results are
 * deterministic and within liblinear's own tolerance of it.
 *
 * <p>Rows are stored column-wise; one instance is reused for many fits and allocates nothing per fit. Not
 * thread-safe.
 */
final class SoftLabelLogisticRegression {

    static final int FEATURES = 3;

    private static final int MAX_NEWTON_STEPS = 200;
    private static final int MAX_SWEEPS = 10_000;
    private static final double STEP_TOLERANCE = 1e-12;
    private static final double ARMIJO = 0.01;

    private final double[] x0;
    private final double[] x1;
    private final double[] x2;
    private final double[] weight;
    private final double[] label;

    private final double[] gradient = new double[FEATURES];
    private final double[] hessian = new double[FEATURES * FEATURES];
    private final double[] trialGradient = new double[FEATURES];
    private final double[] trialHessian = new double[FEATURES * FEATURES];
    private final double[] target = new double[FEATURES];
    private final double[] trial = new double[FEATURES];

    private int skipFrom;
    private int skipTo;
    private double c;

    /** The arrays are used as given (not copied). */
    SoftLabelLogisticRegression(double[] x0, double[] x1, double[] x2, double[] weight, double[] label) {
        this.x0 = x0;
        this.x1 = x1;
        this.x2 = x2;
        this.weight = weight;
        this.label = label;
    }

    /**
     * Fits on all rows except [skipFrom, skipTo) (an empty range keeps them all).
     *
     * @param beta in: the starting point; out: the minimiser
     * @param l1 weight of the L1 penalty (1 for liblinear's objective, 0 for the plain maximum-likelihood fit)
     */
    void fit(int skipFrom, int skipTo, double c, double l1, double[] beta) {
        this.skipFrom = skipFrom;
        this.skipTo = skipTo;
        this.c = c;
        double objective = evaluate(beta, gradient, hessian) + l1 * norm1(beta);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            solveQuadraticModel(beta, l1);
            double largestMove = 0;
            double decrease = l1 * (norm1(target) - norm1(beta));
            for (int j = 0; j < FEATURES; j++) {
                double move = target[j] - beta[j];
                largestMove = Math.max(largestMove, Math.abs(move));
                decrease += gradient[j] * move;
            }
            if (largestMove <= STEP_TOLERANCE) {
                return;
            }
            // Once the predicted decrease is below what the objective's rounding can resolve, the iterate is deep in
            // Newton's quadratic-convergence region: take full steps without testing them.
            boolean resolvable = -decrease > 1e-12 * (1 + Math.abs(objective));
            double t = 1;
            double trialObjective;
            for (; ; ) {
                for (int j = 0; j < FEATURES; j++) {
                    trial[j] = beta[j] + t * (target[j] - beta[j]);
                }
                trialObjective = evaluate(trial, trialGradient, trialHessian) + l1 * norm1(trial);
                if (!resolvable || trialObjective <= objective + ARMIJO * t * decrease) {
                    break;
                }
                t *= 0.5;
                if (t < 1e-12) {
                    return; // no further progress is representable
                }
            }
            System.arraycopy(trial, 0, beta, 0, FEATURES);
            System.arraycopy(trialGradient, 0, gradient, 0, FEATURES);
            System.arraycopy(trialHessian, 0, hessian, 0, FEATURES * FEATURES);
            objective = trialObjective;
            if (t * largestMove <= STEP_TOLERANCE) {
                return;
            }
        }
    }

    /**
     * Mean over rows [from, to) of {@code w [p log q + (1 - p) log(1 - q)]} with q = s(x.b) clipped to
     * [1e-15, 1 - 1e-15]: AlpacaEval's cross-validation score (a negated weighted soft log-loss, averaged over rows,
     * not over weight).
     */
    double heldOutScore(int from, int to, double[] beta) {
        double sum = 0;
        for (int r = from; r < to; r++) {
            double z = beta[0] * x0[r] + beta[1] * x1[r] + beta[2] * x2[r];
            double q = 1 / (1 + StrictMath.exp(-z));
            q = Math.min(Math.max(q, 1e-15), 1 - 1e-15);
            double p = label[r];
            sum += weight[r] * (p * StrictMath.log(q) + (1 - p) * StrictMath.log(1 - q));
        }
        return sum / (to - from);
    }

    /** C times the weighted loss at b, with its gradient and Hessian (row-major 3x3). */
    private double evaluate(double[] b, double[] grad, double[] hess) {
        double loss = 0;
        double g0 = 0;
        double g1 = 0;
        double g2 = 0;
        double h00 = 0;
        double h01 = 0;
        double h02 = 0;
        double h11 = 0;
        double h12 = 0;
        double h22 = 0;
        double b0 = b[0];
        double b1 = b[1];
        double b2 = b[2];
        int n = label.length;
        for (int r = 0; r < n; r++) {
            if (r == skipFrom) {
                r = skipTo;
                if (r >= n) {
                    break;
                }
            }
            double f0 = x0[r];
            double f1 = x1[r];
            double f2 = x2[r];
            double w = weight[r];
            double p = label[r];
            double z = b0 * f0 + b1 * f1 + b2 * f2;
            // softplus(z) - p z and s(z), from one exponential of -|z|
            double e = StrictMath.exp(-Math.abs(z));
            double softplus = Math.max(z, 0) + StrictMath.log1p(e);
            double s = z >= 0 ? 1 / (1 + e) : e / (1 + e);
            loss += w * (softplus - p * z);
            double residual = w * (s - p);
            g0 += residual * f0;
            g1 += residual * f1;
            g2 += residual * f2;
            double curvature = w * s * (1 - s);
            double c0 = curvature * f0;
            double c1 = curvature * f1;
            h00 += c0 * f0;
            h01 += c0 * f1;
            h02 += c0 * f2;
            h11 += c1 * f1;
            h12 += c1 * f2;
            h22 += curvature * f2 * f2;
        }
        grad[0] = c * g0;
        grad[1] = c * g1;
        grad[2] = c * g2;
        hess[0] = c * h00;
        hess[1] = c * h01;
        hess[2] = c * h02;
        hess[3] = hess[1];
        hess[4] = c * h11;
        hess[5] = c * h12;
        hess[6] = hess[2];
        hess[7] = hess[5];
        hess[8] = c * h22;
        return c * loss;
    }

    /**
     * Minimises g.(u - b) + (u - b)'H(u - b)/2 + l1 ||u||_1 over u into {@link #target}, by cyclic coordinate descent
     * with exact soft-thresholded coordinate steps, to convergence.
     */
    private void solveQuadraticModel(double[] beta, double l1) {
        System.arraycopy(beta, 0, target, 0, FEATURES);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double largestChange = 0;
            double largestValue = 0;
            for (int j = 0; j < FEATURES; j++) {
                double slope = gradient[j];
                for (int k = 0; k < FEATURES; k++) {
                    slope += hessian[j * FEATURES + k] * (target[k] - beta[k]);
                }
                double curvature = hessian[j * FEATURES + j];
                double updated;
                if (curvature > 0) {
                    double unpenalised = target[j] - slope / curvature;
                    double threshold = l1 / curvature;
                    updated = Math.signum(unpenalised) * Math.max(Math.abs(unpenalised) - threshold, 0);
                } else {
                    // a feature that is zero on every row: the loss does not depend on it, the penalty sends it to 0
                    updated = l1 > 0 ? 0 : target[j];
                }
                largestChange = Math.max(largestChange, Math.abs(updated - target[j]));
                largestValue = Math.max(largestValue, Math.abs(updated));
                target[j] = updated;
            }
            if (largestChange <= 1e-15 * (1 + largestValue)) {
                return;
            }
        }
    }

    private static double norm1(double[] v) {
        return Math.abs(v[0]) + Math.abs(v[1]) + Math.abs(v[2]);
    }
}
