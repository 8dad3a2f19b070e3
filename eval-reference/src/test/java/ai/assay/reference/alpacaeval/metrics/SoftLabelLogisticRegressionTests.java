package ai.assay.reference.alpacaeval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftLabelLogisticRegressionTests {

    private static final int N = 300;

    private final double[] x0 = new double[N];
    private final double[] x1 = new double[N];
    private final double[] x2 = new double[N];
    private final double[] weight = new double[N];
    private final double[] label = new double[N];

    SoftLabelLogisticRegressionTests() {
        Random random = new Random(42);
        for (int r = 0; r < N; r++) {
            x0[r] = Math.tanh(random.nextGaussian());
            x1[r] = 1.5 * random.nextGaussian();
            x2[r] = r % 3 == 0 ? 0 : 1;
            weight[r] = x2[r] == 0 ? 0.1 : 1;
            double z = -1.5 * x0[r] + 0.8 * x1[r] - 0.7 * x2[r];
            label[r] = Math.min(1, Math.max(0, 1 / (1 + Math.exp(-z)) + 0.2 * random.nextGaussian()));
        }
    }

    @Test
    void l1SolutionsSatisfyTheOptimalityConditions() {
        for (double c : new double[] {0.01, 0.3, 2.78, 100, 1e4}) {
            double[] beta = new double[3];
            regression().fit(0, 0, c, 1, beta);
            double[] gradient = gradient(beta, c, 0, 0);
            double scale = 1e-9 * (1 + c * N);
            for (int j = 0; j < 3; j++) {
                if (beta[j] == 0) {
                    assertThat(Math.abs(gradient[j]))
                            .as("C=%s, zero coefficient %d", c, j)
                            .isLessThanOrEqualTo(1 + scale);
                } else {
                    assertThat(gradient[j] + Math.signum(beta[j]))
                            .as("C=%s, coefficient %d", c, j)
                            .isCloseTo(0, within(scale));
                }
            }
        }
    }

    @Test
    void aStrongPenaltyKeepsEveryCoefficientAtZero() {
        double[] beta = new double[] {0.3, -0.2, 0.1};
        regression().fit(0, 0, 1e-4, 1, beta);
        assertThat(beta).containsExactly(0, 0, 0);
    }

    @Test
    void theUnpenalisedFitZeroesTheGradientFromAnyStart() {
        double[] fromZero = new double[3];
        regression().fit(0, 0, 1, 0, fromZero);
        assertThat(gradient(fromZero, 1, 0, 0)).containsExactly(new double[] {0, 0, 0}, within(1e-9));

        double[] fromElsewhere = new double[] {3, -3, 2};
        regression().fit(0, 0, 1, 0, fromElsewhere);
        for (int j = 0; j < 3; j++) {
            assertThat(fromElsewhere[j]).isCloseTo(fromZero[j], within(1e-10));
        }
    }

    @Test
    void aHeldOutRangeIsLeftOutOfTheFit() {
        double[] withoutRange = new double[3];
        regression().fit(100, 160, 2.78, 1, withoutRange);

        double[] onSubset = new double[3];
        new SoftLabelLogisticRegression(
                        without(x0, 100, 160),
                        without(x1, 100, 160),
                        without(x2, 100, 160),
                        without(weight, 100, 160),
                        without(label, 100, 160))
                .fit(0, 0, 2.78, 1, onSubset);

        for (int j = 0; j < 3; j++) {
            assertThat(withoutRange[j]).isCloseTo(onSubset[j], within(1e-10));
        }
    }

    @Test
    void heldOutScoreIsTheRowMeanOfTheWeightedSoftLogLikelihood() {
        SoftLabelLogisticRegression regression = regression();
        double meanWeight = Arrays.stream(weight, 10, 40).average().orElseThrow();
        assertThat(regression.heldOutScore(10, 40, new double[3])).isCloseTo(-Math.log(2) * meanWeight, within(1e-15));

        double[] beta = {0.5, -0.25, 1};
        double expected = 0;
        for (int r = 10; r < 40; r++) {
            double q = 1 / (1 + Math.exp(-(0.5 * x0[r] - 0.25 * x1[r] + x2[r])));
            expected += weight[r] * (label[r] * Math.log(q) + (1 - label[r]) * Math.log(1 - q));
        }
        assertThat(regression.heldOutScore(10, 40, beta)).isCloseTo(expected / 30, within(1e-14));
    }

    @Test
    void predictionsAreClippedLikeUpstreams() {
        double[] one = {1};
        SoftLabelLogisticRegression certain = new SoftLabelLogisticRegression(
                new double[] {1}, new double[] {0}, new double[] {0}, one, new double[] {0});
        // s(100) rounds to 1; clipped to 1 - 1e-15, the loss of label 0 is -log(1e-15) (to rounding)
        assertThat(certain.heldOutScore(0, 1, new double[] {100, 0, 0}))
                .isCloseTo(Math.log(1 - (1 - 1e-15)), within(1e-3));
    }

    private SoftLabelLogisticRegression regression() {
        return new SoftLabelLogisticRegression(x0, x1, x2, weight, label);
    }

    private double[] gradient(double[] beta, double c, int skipFrom, int skipTo) {
        double[] g = new double[3];
        for (int r = 0; r < N; r++) {
            if (r >= skipFrom && r < skipTo) {
                continue;
            }
            double s = 1 / (1 + Math.exp(-(beta[0] * x0[r] + beta[1] * x1[r] + beta[2] * x2[r])));
            double residual = c * weight[r] * (s - label[r]);
            g[0] += residual * x0[r];
            g[1] += residual * x1[r];
            g[2] += residual * x2[r];
        }
        return g;
    }

    private static double[] without(double[] values, int from, int to) {
        double[] out = new double[values.length - (to - from)];
        System.arraycopy(values, 0, out, 0, from);
        System.arraycopy(values, to, out, from, values.length - to);
        return out;
    }
}
