package ai.assay.deploy.chart;

import java.util.LinkedHashMap;
import java.util.Map;

/** Helm's merge of a user values file over the chart's values. */
final class HelmValues {

    private HelmValues() {}

    /**
     * Maps merge key by key, recursively; any other value (lists included) replaces the chart's; a null removes the
     * key, as {@code helm -f} does.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> chart, Map<String, Object> user) {
        Map<String, Object> merged = new LinkedHashMap<>(chart);
        for (Map.Entry<String, Object> entry : user.entrySet()) {
            Object base = merged.get(entry.getKey());
            Object value = entry.getValue();
            if (value == null) {
                merged.remove(entry.getKey());
            } else if (base instanceof Map<?, ?> baseMap && value instanceof Map<?, ?> userMap) {
                merged.put(entry.getKey(), merge((Map<String, Object>) baseMap, (Map<String, Object>) userMap));
            } else {
                merged.put(entry.getKey(), value);
            }
        }
        return merged;
    }
}
