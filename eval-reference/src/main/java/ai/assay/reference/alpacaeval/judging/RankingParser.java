package ai.assay.reference.alpacaeval.judging;

import ai.assay.reference.python.PyLiteral;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * AlpacaEval's {@code ranking_parser}, used by {@code alpaca_eval_gpt4} (AlpacaEval 1): the judge answers a Python
 * list of dicts such as {@code [{'model': 'model_1', 'rank': 1}, {'model': 'model_2', 'rank': 2}]}, and the preference
 * is the rank of the first shown output ({@code model_1}), which must be 1 or 2. Anything else (no such entry, another
 * rank, text that is not such a list) gives no preference.
 */
public final class RankingParser {

    private final String model1Name;

    /** @param model1Name the name that identifies the first shown output (upstream default {@code model_1}) */
    public RankingParser(String model1Name) {
        this.model1Name = model1Name;
    }

    public RankingParser() {
        this("model_1");
    }

    /**
     * @param completion the judge's answer text
     * @return a one-element list: 1.0, 2.0, or null for none
     * @throws IllegalArgumentException for an empty completion (upstream raises; its annotator records no annotation)
     */
    public List<Double> parse(String completion) {
        if (completion.isEmpty()) {
            throw new IllegalArgumentException("the completion is empty");
        }
        JsonNode ordered;
        try {
            ordered = PyLiteral.parse(completion.stripLeading());
        } catch (IllegalArgumentException e) {
            return missing();
        }
        if (ordered.isString()) {
            return missing(); // a string literal iterates as characters, which have no "model" entry
        }
        return parse(ordered);
    }

    /**
     * For an answer that is already structured (e.g. the output of a JSON parser earlier in a pipeline). A JSON string
     * is read as the answer text.
     */
    public List<Double> parse(JsonNode ordered) {
        if (ordered == null) {
            return missing();
        }
        if (ordered.isString()) {
            return parse(ordered.stringValue());
        }
        if (!ordered.isArray()) {
            return missing();
        }
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode entry : ordered) {
            JsonNode model = entry.isObject() ? entry.get("model") : null;
            if (model == null) {
                return missing(); // upstream: indexing a non-dict, or a dict without "model", fails
            }
            if (model.isString() && model.stringValue().equals(model1Name)) {
                matching.add(entry);
            }
        }
        if (matching.isEmpty()) {
            return missing();
        }
        JsonNode rank = matching.get(0).get("rank");
        if (rank == null) {
            return missing();
        }
        double value;
        if (rank.isBoolean()) {
            value = rank.booleanValue() ? 1 : 0; // Python: True == 1
        } else if (rank.isNumber()) {
            value = rank.doubleValue();
        } else {
            return missing();
        }
        if (value != 1 && value != 2) {
            return missing();
        }
        List<Double> result = new ArrayList<>(1);
        result.add(value);
        return result;
    }

    private static List<Double> missing() {
        List<Double> none = new ArrayList<>(1);
        none.add(null);
        return none;
    }
}
