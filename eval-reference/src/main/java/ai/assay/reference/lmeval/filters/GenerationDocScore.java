package ai.assay.reference.lmeval.filters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code generate_until} document's scores under every filter pipeline of its task, in {@code filter_list}
 * order.
 */
public record GenerationDocScore(List<FilteredScore> filters) {

    public GenerationDocScore {
        filters = List.copyOf(filters);
    }

    /** Every value under the key results.json gives its mean: {@code "<metric>,<filter>"}, filters first to last. */
    public Map<String, Double> byResultKey() {
        Map<String, Double> values = new LinkedHashMap<>();
        for (FilteredScore score : filters) {
            score.metrics().forEach((metric, value) -> values.put(metric + "," + score.filter(), value));
        }
        return values;
    }

    /** The result of the pipeline named {@code filter}. */
    public Object filteredResponse(String filter) {
        return filters.stream()
                .filter(score -> score.filter().equals(filter))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no filter " + filter))
                .filteredResponse();
    }
}
