package ai.assay.reference.statistics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Holm's step-down adjustment of m p-values: with p sorted ascending, adjusted p_(i) = max over j &le; i of
 * min(1, (m - j + 1) p_(j)). Rejecting where the adjusted value is below alpha controls the family-wise error rate at
 * alpha. NaN entries (tests that could not be run) are left NaN and do not count in m.
 */
public final class HolmCorrection {

    private HolmCorrection() {}

    public static double[] adjust(double[] pValues) {
        Integer[] order = new Integer[pValues.length];
        int m = 0;
        for (int i = 0; i < pValues.length; i++) {
            if (!Double.isNaN(pValues[i])) {
                order[m++] = i;
            }
        }
        Integer[] tested = Arrays.copyOf(order, m);
        Arrays.sort(tested, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[pValues.length];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = tested[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
