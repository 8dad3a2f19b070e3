package ai.assay.reference.alpacaeval.metrics;

import java.util.List;

/**
 * Computes {@link WinRate} from per-row preferences in AlpacaEval's encoding: 1 = baseline better, 2 = model better,
 * 1.5 = tie, values in between = soft preference, 0 = legacy tie, NaN (or null) = no annotation. Rows outside [1, 2]
 * after mapping 0 to 1.5 (e.g. the -1 some caches store for failed annotations) count in nothing, as upstream.
 */
public final class WinRateCalculator {

    private static final double TIE = 1.5;

    private WinRateCalculator() {}

    /** Nulls are missing annotations. */
    public static WinRate compute(List<Double> preferences) {
        double[] values = new double[preferences.size()];
        for (int i = 0; i < values.length; i++) {
            Double value = preferences.get(i);
            values[i] = value == null ? Double.NaN : value;
        }
        return compute(values);
    }

    public static WinRate compute(double[] preferences) {
        int nDraws = 0;
        int nWins = 0;
        int nWinsBase = 0;
        int nTotal = 0;
        double sum = 0;
        for (double raw : preferences) {
            double p = raw == 0.0 ? TIE : raw;
            if (p == TIE) {
                nDraws++;
            }
            if (!isPreference(p)) {
                continue;
            }
            double x = p - 1;
            nTotal++;
            sum += x;
            if (x > 0.5) {
                nWins++;
            } else if (x < 0.5) {
                nWinsBase++;
            }
        }
        double mean = sum / nTotal;
        double squares = 0;
        for (double raw : preferences) {
            double p = raw == 0.0 ? TIE : raw;
            if (isPreference(p)) {
                double deviation = p - 1 - mean;
                squares += deviation * deviation;
            }
        }
        double standardError = nTotal > 1 ? Math.sqrt(squares / (nTotal - 1)) / Math.sqrt(nTotal) : Double.NaN;
        return new WinRate(
                100 * mean, 100 * standardError, nWins, nWinsBase, nDraws, nTotal, discreteWinRate(preferences));
    }

    /**
     * Upstream's zero-one scoring rule: 1.5 is first marked as 0, every value is rounded half-to-even (numpy), 0 is
     * mapped back to 1.5, and the result is averaged like the weighted win rate. So each row counts 1, 0 or 1/2.
     */
    private static double discreteWinRate(double[] preferences) {
        int n = 0;
        double sum = 0;
        for (double raw : preferences) {
            double rounded = raw == TIE ? 0.0 : Math.rint(raw);
            double p = rounded == 0.0 ? TIE : rounded;
            if (isPreference(p)) {
                n++;
                sum += p - 1;
            }
        }
        return 100 * (sum / n);
    }

    private static boolean isPreference(double p) {
        return p >= 1 && p <= 2;
    }
}
