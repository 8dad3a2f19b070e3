package ai.assay.reference.lmeval.code;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unbiased pass@k estimator of Hugging Face evaluate's {@code code_eval} (Chen et al. 2021), which lm-eval's
 * HumanEval and MBPP metrics call and EvalPlus uses too: for one problem with {@code n} samples of which {@code c}
 * passed, {@code 1.0} when {@code n - c < k}, else {@code 1 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1))}.
 * numpy divides and subtracts element by element in float64 and its {@code prod} multiplies left to right; the same
 * operations in the same order here give the same bits (checked against numpy 2.4 for every {@code n <= 200}).
 */
public final class PassAtK {

    private PassAtK() {}

    /** The estimate for one problem. */
    public static double estimate(int n, int c, int k) {
        if (n < 0 || c < 0 || c > n || k < 1) {
            throw new IllegalArgumentException(
                    "pass@k needs 0 <= c <= n and k >= 1, got n=%d c=%d k=%d".formatted(n, c, k));
        }
        if (n - c < k) {
            return 1.0;
        }
        double product = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            product *= 1.0 - (double) k / (double) i;
        }
        return 1.0 - product;
    }

    /**
     * What {@code code_eval.compute} returns for one problem (lm-eval scores each document on its own): {@code
     * "pass@k"} for each {@code k} in the order given, only where every problem has at least {@code k} samples
     * ({@code (total >= k).all()}); a {@code k} past {@code n} is left out, as upstream leaves it out.
     */
    public static Map<String, Double> forProblem(int n, int c, List<Integer> ks) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int k : ks) {
            if (n >= k) {
                values.put("pass@" + k, estimate(n, c, k));
            }
        }
        return values;
    }
}
