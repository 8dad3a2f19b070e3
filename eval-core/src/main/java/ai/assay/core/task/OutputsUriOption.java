package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The URI of a model_outputs.json ({@code file:}, {@code http:} or {@code https:}), checked as
 * {@link ModelOutputsOption} checks its URI form, so that {@code ftp:}, {@code jar:}, relative names and
 * {@code file://remote/x} are refused at submission instead of failing the worker. Shown by {@code GET /tasks} as
 * a string.
 */
public record OutputsUriOption(String name, String description) implements OptionSpec {

    private static final int MAX_LENGTH = 4096;

    @Override
    public String type() {
        return "string";
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
        if (!value.isString()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, pointer, "'%s' must be a string (a URI)".formatted(name)));
            return null;
        }
        String text = value.stringValue();
        if (text.isEmpty() || text.length() > MAX_LENGTH) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'%s' must have 1 to %d characters".formatted(name, MAX_LENGTH)));
            return null;
        }
        Optional<String> problem = OutputsUris.problem(name, text);
        if (problem.isPresent()) {
            violations.add(new Violation(ViolationKind.INVALID_VALUE, pointer, problem.get()));
            return null;
        }
        return value;
    }
}
