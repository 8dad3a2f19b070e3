package ai.assay.api.alpacaeval;

import ai.assay.core.alpacaeval.HeadToHeadAnnotation;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A validated import: one model's alpaca_eval annotations, in file order.
 *
 * @param rows each annotation with the eval-set index of its instruction and the record's extra fields
 */
record AlpacaEvalImport(String model, String annotator, Map<String, String> labels, List<Row> rows) {

    AlpacaEvalImport {
        rows = List.copyOf(rows);
        labels = Map.copyOf(labels);
    }

    /**
     * @param costUsd       the record's price_per_example, if it has one
     * @param latencyMillis the record's time_per_example in milliseconds, if it has one
     */
    record Row(int exampleIndex, HeadToHeadAnnotation annotation, JsonNode rawCompletion, Double costUsd,
            Integer latencyMillis) {
    }
}
