package ai.assay.reference.lmeval;

import ai.assay.reference.python.PyFloats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * lm-eval's aggregation with its floating-point order of operations: {@code mean = sum(xs) / len(xs)}; the
 * standard error of the mean {@code sqrt(sum((x - mean)**2) / (n - 1)) / sqrt(n)} ("N/A" for n &lt;= 1); a group
 * the size-weighted mean {@code sum(m_i * n_i) / sum(n_i)} of its leaf tasks with the pooled error
 * {@code sqrt(sum((n_i - 1) * se_i**2 * n_i) / (sum(n_i) - k) / sum(n_i))}. Sums follow {@link NumberKind}; every
 * {@code **2} is the C library's {@code pow} as Python calls it ({@link PyFloats#square}), not {@code d * d}, which
 * differs in the last bit for some counts of hits.
 */
public final class Aggregation {

    private Aggregation() {}

    /** One value per document, in document order. */
    public static MetricResult mean(String metric, double[] values, NumberKind kind) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values for " + metric);
        }
        double mean = sum(values, kind) / n;
        Double stderr = null;
        if (n > 1) {
            double[] squares = new double[n];
            for (int i = 0; i < n; i++) {
                squares[i] = PyFloats.square(values[i] - mean);
            }
            stderr = Math.sqrt(sum(squares, kind) / (n - 1)) / Math.sqrt(n);
        }
        return new MetricResult(metric, "none", mean, stderr, n);
    }

    /** Every metric of a leaf task from its documents' scores (each map: metric to value). */
    public static List<MetricResult> task(LmEvalTask task, List<Map<String, Double>> scores) {
        List<MetricResult> results = new ArrayList<>();
        for (MetricSpec metric : task.config().metrics()) {
            double[] values = new double[scores.size()];
            for (int i = 0; i < values.length; i++) {
                Double value = scores.get(i).get(metric.metric());
                if (value == null) {
                    throw new IllegalArgumentException(
                            "a document of %s has no %s".formatted(task.name(), metric.metric()));
                }
                values[i] = value;
            }
            results.add(mean(metric.metric(), values, task.numberKind()));
        }
        return results;
    }

    /**
     * A group's metric from its leaf tasks' results (lm-eval pools the leaves, not the subgroups).
     *
     * @param weightBySize false gives every leaf the weight 1 (lm-eval's {@code weight_by_size: false})
     */
    public static MetricResult group(String metric, List<MetricResult> leaves, boolean weightBySize) {
        int k = leaves.size();
        double[] weighted = new double[k];
        long weightSum = 0;
        long totalSize = 0;
        boolean stderrMissing = false;
        double[] pooled = new double[k];
        for (int i = 0; i < k; i++) {
            MetricResult leaf = leaves.get(i);
            long weight = weightBySize ? leaf.n() : 1;
            weighted[i] = leaf.value() * weight;
            weightSum += weight;
            totalSize += leaf.n();
            if (leaf.stderr() == null) {
                stderrMissing = true;
            } else {
                pooled[i] = (leaf.n() - 1) * PyFloats.square(leaf.stderr()) * leaf.n();
            }
        }
        double value = PyFloats.sum(weighted) / weightSum;
        Double stderr = null;
        if (!stderrMissing) {
            double variance = PyFloats.sum(pooled) / (totalSize - k);
            stderr = Math.sqrt(variance / totalSize);
        }
        return new MetricResult(metric, "none", value, stderr, Math.toIntExact(totalSize));
    }

    private static double sum(double[] values, NumberKind kind) {
        return kind == NumberKind.NUMPY ? PyFloats.naiveSum(values) : PyFloats.sum(values);
    }
}
