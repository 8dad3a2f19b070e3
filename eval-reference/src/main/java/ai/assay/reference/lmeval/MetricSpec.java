package ai.assay.reference.lmeval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a task's {@code metric_list}.
 *
 * @param aggregation    a registered aggregation's name ({@code mean}) or a {@link FunctionRef} (IFEval's
 *                       {@code !function utils.agg_inst_level_acc})
 * @param kwargs         every other key of the entry, in YAML order, which lm-eval passes to the metric function
 *                       as keyword arguments (for {@code exact_match}: {@code ignore_case},
 *                       {@code ignore_punctuation}, {@code regexes_to_ignore}); lm-eval leaves out only
 *                       {@code metric}, {@code aggregation}, {@code higher_is_better} and {@code hf_evaluate}
 * @param function       the metric's {@code !function} ({@code metric: !function utils.pass_at_k}), whose Python
 *                       {@code __name__} is {@link #metric()}; null for a registered metric
 */
public record MetricSpec(
        String metric, Object aggregation, boolean higherIsBetter, Map<String, Object> kwargs, FunctionRef function) {

    public MetricSpec {
        if (!(aggregation instanceof String) && !(aggregation instanceof FunctionRef)) {
            throw new IllegalArgumentException("aggregation must be a name or a !function, was " + aggregation);
        }
        kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
    }

    /** A registered metric (by name). */
    public MetricSpec(String metric, Object aggregation, boolean higherIsBetter, Map<String, Object> kwargs) {
        this(metric, aggregation, higherIsBetter, kwargs, null);
    }

    /** A metric without arguments. */
    public MetricSpec(String metric, String aggregation, boolean higherIsBetter) {
        this(metric, aggregation, higherIsBetter, Map.of());
    }

    /** The aggregation's {@code !function}, or null for a named one. */
    public FunctionRef aggregationFunction() {
        return aggregation instanceof FunctionRef ref ? ref : null;
    }
}
