package ai.assay.core.task;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Responses to a generation task made elsewhere (a vLLM run, say), scored instead of generating: inline, an array of
 * records, or the URI ({@code file:}, {@code http:}, {@code https:}) of a JSON array or a JSON Lines file of them.
 * A record is either Assay's own {@code {"doc_id": N, "response": "..."}} (or {@code "responses": [...]} for a task
 * with repeats), or lm-eval's samples record as {@code --log_samples} writes it ({@code doc_id} and {@code resps},
 * its other fields ignored). For a group, {@code "task"} names the subtask a record answers. A response is taken as
 * the model's final text: stop strings are not applied again.
 */
public record GenerationResponsesOption(String name, String description) implements OptionSpec {

    private static final Set<String> OWN_FIELDS = Set.of("doc_id", "task", "response", "responses");

    @Override
    public String type() {
        return "generation-responses";
    }

    @Override
    public JsonNode defaultValue() {
        return null;
    }

    @Override
    public boolean namesLocation() {
        return true;
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (value.isString()) {
            var problem = OutputsUris.problem(name, value.stringValue(), "a file of responses");
            return problem.isPresent()
                    ? invalid(violations, pointer, problem.get() + ", or the responses themselves as an array")
                    : value;
        }
        if (!value.isArray()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    pointer,
                    "'%s' must be an array of {doc_id, response} records or a URI".formatted(name)));
            return null;
        }
        if (value.isEmpty()) {
            return invalid(violations, pointer, "'%s' must hold at least one response".formatted(name));
        }
        int before = violations.size();
        for (int i = 0; i < value.size(); i++) {
            checkRecord(value.get(i), JsonPointers.child(pointer, i), violations);
        }
        return violations.size() == before ? value : null;
    }

    private static void checkRecord(JsonNode record, String pointer, List<Violation> violations) {
        if (!record.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    pointer,
                    "each response must be an object with 'doc_id' and 'response'"));
            return;
        }
        JsonNode docId = record.get("doc_id");
        if (docId == null || docId.isNull()) {
            violations.add(new Violation(
                    ViolationKind.MISSING_FIELD,
                    JsonPointers.child(pointer, "doc_id"),
                    "each response needs 'doc_id'"));
        } else if (!docId.isIntegralNumber() || !docId.canConvertToInt() || docId.intValue() < 0) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    JsonPointers.child(pointer, "doc_id"),
                    "'doc_id' must be a document number from 0"));
        }
        JsonNode task = record.get("task");
        if (task != null && !task.isString()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, JsonPointers.child(pointer, "task"), "'task' must be a task name"));
        }
        boolean lmEvalRecord = record.has("resps");
        long answers = List.of("response", "responses", "resps").stream()
                .filter(record::has)
                .count();
        if (answers != 1) {
            violations.add(new Violation(
                    answers == 0 ? ViolationKind.MISSING_FIELD : ViolationKind.INVALID_VALUE,
                    pointer,
                    "each record needs exactly one of 'response' (a string), 'responses' (a string per repeat) or"
                            + " 'resps' (lm-eval's samples record)"));
            return;
        }
        if (record.has("response") && !record.get("response").isString()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    JsonPointers.child(pointer, "response"),
                    "'response' must be a string"));
        }
        if (record.has("responses") && !isStrings(record.get("responses"))) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    JsonPointers.child(pointer, "responses"),
                    "'responses' must be a non-empty array of strings, one per repeat"));
        }
        if (lmEvalRecord) {
            JsonNode resps = record.get("resps");
            if (!resps.isArray() || resps.size() != 1 || !isStrings(resps.get(0))) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        JsonPointers.child(pointer, "resps"),
                        "'resps' must be lm-eval's [[response, ...]]: one generation request, a string per repeat"));
            }
            return; // lm-eval's record carries doc, target, filtered_resps, metrics...: not ours to check
        }
        for (var member : record.properties()) {
            if (!OWN_FIELDS.contains(member.getKey())) {
                violations.add(new Violation(
                        ViolationKind.UNKNOWN_FIELD,
                        JsonPointers.child(pointer, member.getKey()),
                        "unknown field '%s'; a response record has %s (or is lm-eval's samples record, with 'resps')"
                                .formatted(member.getKey(), OWN_FIELDS)));
            }
        }
    }

    private static boolean isStrings(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isString()) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode invalid(List<Violation> violations, String pointer, String detail) {
        violations.add(new Violation(ViolationKind.INVALID_VALUE, pointer, detail));
        return null;
    }
}
