package ai.assay.api.alpacaeval;

import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A validated import: one model's alpaca_eval annotations, in file order.
 *
 * @param records each annotation with the eval-set index of its instruction and the record's extra fields
 * @param replace whether the import may take the place of results the model already has on the leaderboard
 */
record AlpacaEvalImport(
        String model, String annotator, Map<String, String> labels, List<Record> records, boolean replace) {

    AlpacaEvalImport {
        records = List.copyOf(records);
        labels = Map.copyOf(labels);
    }

    /**
     * @param costUsd       the record's price_per_example, if it has one
     * @param latencyMillis the record's time_per_example in milliseconds, if it has one
     */
    record Record(
            int exampleIndex,
            HeadToHeadAnnotation annotation,
            JsonNode rawCompletion,
            Double costUsd,
            Integer latencyMillis) {}
}
