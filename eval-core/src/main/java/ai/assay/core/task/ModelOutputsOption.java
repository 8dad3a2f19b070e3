package ai.assay.core.task;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Pre-generated model outputs in alpaca_eval's {@code model_outputs.json} shape: either inline, an array of
 * {@code {"instruction", "output"[, "generator", "dataset"]}}, or the URI of such a file ({@code file:},
 * {@code http:} or {@code https:}). Inline outputs are checked element by element.
 */
public record ModelOutputsOption(String name, String description) implements OptionSpec {

    private static final Set<String> KNOWN_FIELDS = Set.of("instruction", "output", "generator", "dataset");

    @Override
    public String type() {
        return "model-outputs";
    }

    @Override
    public boolean namesLocation() {
        return true;
    }

    @Override
    public JsonNode defaultValue() {
        return null;
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (value.isString()) {
            var problem = OutputsUris.problem(name, value.stringValue());
            return problem.isPresent()
                    ? invalid(violations, pointer, problem.get() + ", or the outputs themselves as an array")
                    : value;
        }
        if (!value.isArray()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    pointer,
                    "'%s' must be an array of {instruction, output} objects or a URI".formatted(name)));
            return null;
        }
        if (value.isEmpty()) {
            return invalid(violations, pointer, "'%s' must hold at least one output".formatted(name));
        }
        int before = violations.size();
        for (int i = 0; i < value.size(); i++) {
            checkElement(value.get(i), JsonPointers.child(pointer, i), violations);
        }
        return violations.size() == before ? value : null;
    }

    private static void checkElement(JsonNode element, String pointer, List<Violation> violations) {
        if (!element.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE,
                    pointer,
                    "each output must be an object with 'instruction' and 'output'"));
            return;
        }
        for (String required : List.of("instruction", "output")) {
            JsonNode field = element.get(required);
            if (field == null || field.isNull()) {
                violations.add(new Violation(
                        ViolationKind.MISSING_FIELD,
                        JsonPointers.child(pointer, required),
                        "each output needs '%s'".formatted(required)));
            } else if (!field.isString()) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        JsonPointers.child(pointer, required),
                        "'%s' must be a string".formatted(required)));
            }
        }
        for (var member : element.properties()) {
            if (!KNOWN_FIELDS.contains(member.getKey())) {
                violations.add(new Violation(
                        ViolationKind.UNKNOWN_FIELD,
                        JsonPointers.child(pointer, member.getKey()),
                        "unknown field '%s'; an output has %s".formatted(member.getKey(), KNOWN_FIELDS)));
            } else if (!member.getValue().isString()
                    && !member.getValue().isNull()
                    && !member.getKey().equals("instruction")
                    && !member.getKey().equals("output")) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        JsonPointers.child(pointer, member.getKey()),
                        "'%s' must be a string".formatted(member.getKey())));
            }
        }
    }

    private static JsonNode invalid(List<Violation> violations, String pointer, String detail) {
        violations.add(new Violation(ViolationKind.INVALID_VALUE, pointer, detail));
        return null;
    }
}
