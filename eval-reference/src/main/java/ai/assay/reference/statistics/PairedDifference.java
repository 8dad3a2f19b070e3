package ai.assay.reference.statistics;

/**
 * The difference A minus B of one metric over the examples both share, with a confidence interval and a two-sided
 * p-value for "no difference".
 *
 * @param estimate A minus B
 * @param lower lower end of the interval at {@code confidenceLevel}
 * @param upper upper end of the interval
 * @param pValue two-sided p-value
 * @param n the number of shared examples the test used
 * @param method how the interval and p-value were computed
 * @param resamples the bootstrap resamples that entered the result (null for tests without resampling)
 */
public record PairedDifference(
        double estimate, double lower, double upper, double pValue, int n, TestMethod method, Integer resamples) {

    public static final double CONFIDENCE_LEVEL = 0.95;
}
