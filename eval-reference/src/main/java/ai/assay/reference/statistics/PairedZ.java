package ai.assay.reference.statistics;

import java.util.List;

/**
 * A mean over K metric differences, each paired within its task: estimate = (1/K) sum over tasks t of
 * mean_i(u_ti), where u_ti is the sum over task t's metrics of A minus B on shared example i. Tasks are independent
 * samples, so Var = (1/K^2) sum_t s_t^2 / n_t with s_t the sample standard deviation of u_t. Interval and p-value
 * are the normal ones. Used for the leaderboard's {@code avg}, where a bootstrap over every task would be too slow.
 */
public final class PairedZ {

    private PairedZ() {}

    /** @param perTaskSums for each task, u_ti over its shared examples */
    public static PairedDifference of(List<double[]> perTaskSums, int metricCount) {
        double estimate = 0;
        double variance = 0;
        int n = 0;
        for (double[] sums : perTaskSums) {
            int m = sums.length;
            if (m == 0) {
                continue;
            }
            double mean = 0;
            for (double u : sums) {
                mean += u;
            }
            mean /= m;
            double squares = 0;
            for (double u : sums) {
                squares += (u - mean) * (u - mean);
            }
            estimate += mean;
            variance += m > 1 ? squares / (m - 1) / m : 0;
            n += m;
        }
        if (n == 0 || metricCount == 0) {
            return new PairedDifference(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, TestMethod.PAIRED_Z, null);
        }
        estimate /= metricCount;
        double se = Math.sqrt(variance) / metricCount;
        double z = NormalDistribution.quantile(1 - (1 - PairedDifference.CONFIDENCE_LEVEL) / 2);
        double p;
        if (se == 0) {
            p = estimate == 0 ? 1.0 : 0.0;
        } else {
            p = NormalDistribution.twoSidedTail(estimate / se);
        }
        return new PairedDifference(
                estimate, estimate - z * se, estimate + z * se, Math.min(1, p), n, TestMethod.PAIRED_Z, null);
    }
}
