package ai.assay.core.evaluation;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which evaluations a listing shows; every part that is set must match.
 *
 * @param state     only evaluations in this state, or null for all
 * @param modelName only evaluations of the model with this exact name, or null for all
 * @param labels    only evaluations carrying all these labels
 */
public record EvaluationFilter(RunState state, String modelName, Map<String, String> labels) {

    public EvaluationFilter {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
