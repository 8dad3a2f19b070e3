package ai.assay.core.leaderboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns a task's {@code sample_score.scores} objects into per-metric series. A key is a metric name under the filter
 * {@code none} ({@code "acc"}) or lm-eval's {@code "metric,filter"} ({@code "exact_match,strict-match"}); values
 * are numbers or booleans (true = 1). A metric with any other value on some document (a list, a string) gets no
 * series: its paired tests are unavailable.
 */
final class SampleScores {

    private final Map<String, Builder> builders = new LinkedHashMap<>();

    void add(int docId, JsonNode scores) {
        if (scores == null || !scores.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : scores.properties()) {
            Builder builder = builders.computeIfAbsent(field.getKey(), Builder::new);
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                builder.add(docId, value.doubleValue());
            } else if (value.isBoolean()) {
                builder.add(docId, value.booleanValue() ? 1 : 0);
            } else if (!value.isNull()) {
                builder.usable = false;
            }
        }
    }

    /** The series of the usable metrics; docs must have been added in ascending doc-id order. */
    List<ScoredExamples> series() {
        List<ScoredExamples> series = new ArrayList<>();
        for (Builder builder : builders.values()) {
            if (builder.usable && builder.size > 0) {
                series.add(builder.build());
            }
        }
        return series;
    }

    private static final class Builder {

        private final String metric;
        private final String filter;
        private int[] docIds = new int[64];
        private double[] values = new double[64];
        private int size;
        private boolean usable = true;

        Builder(String key) {
            int comma = key.indexOf(',');
            this.metric = comma < 0 ? key : key.substring(0, comma);
            this.filter = comma < 0 ? "none" : key.substring(comma + 1);
            if (metric.isEmpty() || filter.isEmpty()) {
                usable = false;
            }
        }

        void add(int docId, double value) {
            if (!Double.isFinite(value) || docId < 0 || (size > 0 && docIds[size - 1] >= docId)) {
                usable = false;
                return;
            }
            if (size == docIds.length) {
                docIds = Arrays.copyOf(docIds, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            docIds[size] = docId;
            values[size] = value;
            size++;
        }

        ScoredExamples build() {
            int[] ids = Arrays.copyOf(docIds, size);
            double[] v = Arrays.copyOf(values, size);
            boolean binary = true;
            for (double x : v) {
                if (x != 0 && x != 1) {
                    binary = false;
                    break;
                }
            }
            return new ScoredExamples(metric, filter, ids, v, binary);
        }
    }
}
