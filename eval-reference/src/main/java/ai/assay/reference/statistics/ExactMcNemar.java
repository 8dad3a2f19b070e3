package ai.assay.reference.statistics;

/**
 * The exact McNemar test for a 0/1 metric on paired examples: under "no difference" each discordant pair (one side
 * right, the other wrong) is equally likely to go either way, so the count of A-only successes among the d = b + c
 * discordant pairs is Binomial(d, 1/2). p = min(1, 2 P(X &le; min(b, c))). The interval is the Wald interval of the
 * paired difference in proportions, (b - c)/n &plusmn; z sqrt(b + c - (b - c)^2 / n) / n.
 */
public final class ExactMcNemar {

    private ExactMcNemar() {}

    /**
     * @param onlyA examples A got right and B wrong
     * @param onlyB examples B got right and A wrong
     * @param n all shared examples
     */
    public static PairedDifference of(int onlyA, int onlyB, int n) {
        if (n == 0) {
            return new PairedDifference(
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, TestMethod.MCNEMAR_EXACT, null);
        }
        double estimate = (double) (onlyA - onlyB) / n;
        double spread = Math.sqrt(Math.max(0, onlyA + onlyB - (double) (onlyA - onlyB) * (onlyA - onlyB) / n)) / n;
        double z = NormalDistribution.quantile(1 - (1 - PairedDifference.CONFIDENCE_LEVEL) / 2);
        return new PairedDifference(
                estimate,
                estimate - z * spread,
                estimate + z * spread,
                exactPValue(onlyA, onlyB),
                n,
                TestMethod.MCNEMAR_EXACT,
                null);
    }

    static double exactPValue(int b, int c) {
        int d = b + c;
        if (d == 0) {
            return 1.0;
        }
        int k = Math.min(b, c);
        // log of C(d, i) / 2^d, summed for i = 0..k with log-sum-exp
        double log2 = Math.log(2);
        double logTerm = -d * log2;
        double max = logTerm;
        double[] logs = new double[k + 1];
        logs[0] = logTerm;
        for (int i = 0; i < k; i++) {
            logTerm += Math.log(d - i) - Math.log(i + 1);
            logs[i + 1] = logTerm;
            max = Math.max(max, logTerm);
        }
        double sum = 0;
        for (double log : logs) {
            sum += Math.exp(log - max);
        }
        double tail = Math.exp(max + Math.log(sum));
        return Math.min(1.0, 2 * tail);
    }
}
