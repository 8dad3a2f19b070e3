package ai.assay.reference.lmeval.filters;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code metric_list} entry of a {@code generate_until} task: the metric's name and the keyword arguments lm-eval
 * passes to it (every key but {@code metric}, {@code aggregation}, {@code higher_is_better} and
 * {@code hf_evaluate}). Only {@code exact_match} is computed here.
 *
 * @param metric the metric's name
 * @param kwargs its keyword arguments
 */
public record GenerationMetric(String metric, Map<String, Object> kwargs) {

    /** The keys of a {@code metric_list} entry that lm-eval does not pass to the metric. */
    public static final List<String> NOT_ARGUMENTS =
            List.of("metric", "aggregation", "higher_is_better", "hf_evaluate");

    public GenerationMetric {
        if (!"exact_match".equals(metric)) {
            throw new IllegalArgumentException("generation metric " + metric + " is not implemented");
        }
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        ExactMatch.fromKwargs(kwargs);
    }

    /** lm-eval's default for a {@code generate_until} task without {@code metric_list}: plain {@code exact_match}. */
    public static List<GenerationMetric> defaults() {
        return List.of(new GenerationMetric("exact_match", Map.of()));
    }

    /**
     * One {@code metric_list} entry as the YAML reader gives it.
     *
     * @throws IllegalArgumentException for an entry without {@code metric} (upstream: {@code ValueError}), a
     *     metric not implemented here, or a keyword it does not take
     */
    public static GenerationMetric fromYaml(Map<String, ?> entry) {
        if (!(entry.get("metric") instanceof String metric)) {
            throw new IllegalArgumentException(
                    "'metric' key not provided for an entry in 'metric_list', must be specified! " + entry);
        }
        Map<String, Object> kwargs = new LinkedHashMap<>(entry);
        NOT_ARGUMENTS.forEach(kwargs::remove);
        return new GenerationMetric(metric, kwargs);
    }

    /** {@link #fromYaml} over a whole {@code metric_list}; {@link #defaults()} when it is {@code null}. */
    public static List<GenerationMetric> listFromYaml(List<? extends Map<String, ?>> metricList) {
        if (metricList == null) {
            return defaults();
        }
        return metricList.stream().map(GenerationMetric::fromYaml).toList();
    }

    /** The metric's value for one document: {@code metric(references=references, predictions=predictions)}. */
    double compute(List<String> predictions, List<String> references) {
        return ExactMatch.fromKwargs(kwargs).score(predictions, references);
    }
}
