package ai.assay.reference.statistics;

import java.util.Arrays;

/**
 * Turns paired bootstrap replicates into an interval and a p-value. Replicate b of the difference is
 * {@code a[b] - b[b]}, both computed on resample b of the same shared examples ({@link BootstrapScheme}); resamples
 * where either side is undefined (NaN) are left out.
 *
 * <p>Interval: the 2.5th and 97.5th percentiles of the replicate differences, linearly interpolated between order
 * statistics (numpy's default, Hyndman and Fan type 7). p-value: {@code min(1, 2 (1 + k) / (B + 1))} where k is the
 * smaller of the number of replicates at or below 0 and at or above 0: the smallest two-sided level at which a
 * percentile interval would exclude 0, with the usual +1 so that it is never 0.
 */
public final class PercentileBootstrap {

    private PercentileBootstrap() {}

    public static PairedDifference of(double estimate, float[] replicatesA, float[] replicatesB, int n) {
        int resamples = Math.min(replicatesA.length, replicatesB.length);
        double[] differences = new double[resamples];
        int kept = 0;
        for (int b = 0; b < resamples; b++) {
            double difference = (double) replicatesA[b] - replicatesB[b];
            if (!Double.isNaN(difference)) {
                differences[kept++] = difference;
            }
        }
        return ofDifferences(estimate, Arrays.copyOf(differences, kept), n);
    }

    /** @param differences the replicate differences (NaN-free); sorted in place */
    public static PairedDifference ofDifferences(double estimate, double[] differences, int n) {
        int resamples = differences.length;
        if (resamples == 0) {
            return new PairedDifference(
                    estimate, Double.NaN, Double.NaN, Double.NaN, n, TestMethod.PAIRED_BOOTSTRAP, 0);
        }
        Arrays.sort(differences);
        int atOrBelow = 0;
        int atOrAbove = 0;
        for (double difference : differences) {
            if (difference <= 0) {
                atOrBelow++;
            }
            if (difference >= 0) {
                atOrAbove++;
            }
        }
        double alpha = 1 - PairedDifference.CONFIDENCE_LEVEL;
        double p = Math.min(1.0, 2.0 * (1 + Math.min(atOrBelow, atOrAbove)) / (resamples + 1));
        return new PairedDifference(
                estimate,
                quantile(differences, alpha / 2),
                quantile(differences, 1 - alpha / 2),
                p,
                n,
                TestMethod.PAIRED_BOOTSTRAP,
                resamples);
    }

    /** Type-7 quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int below = (int) Math.floor(h);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
    }
}
