package ai.assay.core.task;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A list of at most {@code maxItems} non-empty strings of at most {@code maxLength} characters each, such as the stop
 * strings of a generation. An empty list is a value of its own (no stop string), not the default.
 */
public record StringListOption(
        String name, String description, @JsonIgnore List<String> defaultStrings, int maxItems, int maxLength)
        implements OptionSpec {

    public StringListOption {
        defaultStrings = defaultStrings == null ? null : List.copyOf(defaultStrings);
    }

    @Override
    public String type() {
        return "string-list";
    }

    @Override
    public JsonNode defaultValue() {
        if (defaultStrings == null) {
            return null;
        }
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        defaultStrings.forEach(values::add);
        return values;
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isArray()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, pointer, "'%s' must be an array of strings".formatted(name)));
            return null;
        }
        if (value.size() > maxItems) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE, pointer, "'%s' may hold at most %d strings".formatted(name, maxItems)));
            return null;
        }
        int before = violations.size();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPointer = JsonPointers.child(pointer, i);
            if (!item.isString()) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE, itemPointer, "each of '%s' must be a string".formatted(name)));
            } else if (item.stringValue().isEmpty() || item.stringValue().length() > maxLength) {
                violations.add(new Violation(
                        ViolationKind.OUT_OF_RANGE,
                        itemPointer,
                        "each of '%s' must have 1 to %d characters".formatted(name, maxLength)));
            }
        }
        return violations.size() == before ? value : null;
    }
}
