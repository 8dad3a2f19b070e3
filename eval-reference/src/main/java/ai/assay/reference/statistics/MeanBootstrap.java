package ai.assay.reference.statistics;

/**
 * Paired bootstrap of a mean difference: replicate b is the mean of the per-example differences over resample b of
 * the shared examples ({@link BootstrapScheme}), and {@link PercentileBootstrap} turns the replicates into an interval and a
 * p-value.
 */
public final class MeanBootstrap {

    private MeanBootstrap() {}

    /** @param differences A minus B per shared example, in the canonical example order */
    public static PairedDifference of(double[] differences, BootstrapScheme scheme) {
        int n = differences.length;
        if (n == 0) {
            return new PairedDifference(
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, TestMethod.PAIRED_BOOTSTRAP, 0);
        }
        double sum = 0;
        for (double d : differences) {
            sum += d;
        }
        double[] replicates = new double[scheme.resamples()];
        int[] rows = new int[n];
        for (int b = 0; b < replicates.length; b++) {
            scheme.draw(b, n, rows);
            double s = 0;
            for (int r : rows) {
                s += differences[r];
            }
            replicates[b] = s / n;
        }
        return PercentileBootstrap.ofDifferences(sum / n, replicates, n);
    }
}
