package ai.assay.reference.lmeval.ifeval;

import ai.assay.reference.lmeval.testing.TestDatasets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The real IFEval rows of the test datasets ({@code google/IFEval/default/train.jsonl}, 40 rows), by key. */
final class IfEvalRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private IfEvalRows() {}

    static JsonNode json(long key) {
        return TestDatasets.read("google/IFEval/default/train.jsonl")
                .lines()
                .map(JSON::readTree)
                .filter(row -> row.get("key").longValue() == key)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no IFEval row " + key));
    }

    static IfEvalRow row(long key) {
        return IfEvalRow.fromJson(json(key));
    }

    /** The instruction with that id in the row, built from the row's kwargs. */
    static Instruction instruction(long key, String id) {
        IfEvalRow row = row(key);
        int index = row.instructionIds().indexOf(id);
        if (index < 0) {
            throw new IllegalArgumentException("row " + key + " has no " + id);
        }
        Map<String, Object> kwargs = row.kwargs().get(index);
        return Instructions.build(id, kwargs);
    }
}
