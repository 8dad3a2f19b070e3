package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.NumberKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code generate_until} task's results: for every filter pipeline, in {@code filter_list} order, each metric's
 * mean and stderr over the documents, reported as lm-eval's results.json does under {@code "<metric>,<filter>"}.
 * The per-document values {@code exact_match} gives are numpy float64 (lm-eval's {@code exact_match_hf_evaluate}
 * returns {@code np.mean} of the scores), which Python's {@code sum} adds without compensation: {@link
 * NumberKind#NUMPY}.
 */
public final class GenerateUntilAggregation {

    private GenerateUntilAggregation() {}

    /**
     * @param scores each document's values by result key ({@link GenerationDocScore#byResultKey}), in document
     *               order
     */
    public static List<MetricResult> task(String task, GenerateUntilScoring scoring, List<Map<String, Double>> scores) {
        List<MetricResult> results = new ArrayList<>();
        for (FilterPipeline pipeline : scoring.pipelines()) {
            for (GenerationMetric metric : scoring.metrics()) {
                String key = metric.metric() + "," + pipeline.name();
                double[] values = new double[scores.size()];
                for (int i = 0; i < values.length; i++) {
                    Double value = scores.get(i).get(key);
                    if (value == null) {
                        throw new IllegalArgumentException("a document of %s has no %s".formatted(task, key));
                    }
                    values[i] = value;
                }
                MetricResult mean = Aggregation.mean(metric.metric(), values, NumberKind.NUMPY);
                results.add(new MetricResult(mean.metric(), pipeline.name(), mean.value(), mean.stderr(), mean.n()));
            }
        }
        return results;
    }
}
