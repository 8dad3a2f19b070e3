package ai.assay.reference.lmeval.filters;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One document under one filter pipeline: what lm-eval's samples file records as {@code filtered_resps} and
 * {@code metrics} on the document's line for that {@code filter}.
 *
 * @param filter           the pipeline's name
 * @param filteredResponse the pipeline's result ({@link FilterPipeline#apply})
 * @param metrics          each metric's value by metric name, in {@code metric_list} order
 */
public record FilteredScore(String filter, Object filteredResponse, Map<String, Double> metrics) {

    public FilteredScore {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
