package ai.assay.reference.alpacaeval;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code annotations.json} that {@code alpaca_eval evaluate} writes (a JSON array of records). The raw
 * completion is read from {@code raw_completion} or, in files written since AlpacaEval prefixed its extra columns,
 * {@code preference_raw_completion}.
 */
public final class AnnotationsJson {

    private AnnotationsJson() {}

    public static List<HeadToHeadAnnotation> read(JsonNode records) {
        if (!records.isArray()) {
            throw new IllegalArgumentException("an AlpacaEval annotations file is a JSON array of records");
        }
        List<HeadToHeadAnnotation> annotations = new ArrayList<>(records.size());
        int row = 0;
        for (JsonNode record : records) {
            annotations.add(new HeadToHeadAnnotation(
                    requiredText(record, "instruction", row),
                    requiredText(record, "output_1", row),
                    optionalText(record, "generator_1"),
                    requiredText(record, "output_2", row),
                    optionalText(record, "generator_2"),
                    preference(record, row),
                    rawCompletion(record)));
            row++;
        }
        return annotations;
    }

    private static String requiredText(JsonNode record, String field, int row) {
        JsonNode value = record.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("annotation " + row + " has no text field " + field);
        }
        return value.stringValue();
    }

    private static String optionalText(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Double preference(JsonNode record, int row) {
        JsonNode value = record.get("preference");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("annotation " + row + " has a non-numeric preference: " + value);
        }
        return value.doubleValue();
    }

    private static JsonNode rawCompletion(JsonNode record) {
        for (String field : List.of("raw_completion", "preference_raw_completion")) {
            JsonNode value = record.get(field);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }
}
