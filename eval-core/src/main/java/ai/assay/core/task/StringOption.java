package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A string of at most maxLength characters; when allowedValues is not empty, one of them.
 */
public record StringOption(
        String name,
        String description,
        @JsonIgnore String defaultString,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowedValues,
        int maxLength)
        implements OptionSpec {

    public StringOption {
        allowedValues = List.copyOf(allowedValues);
    }

    @Override
    public String type() {
        return "string";
    }

    @Override
    public JsonNode defaultValue() {
        return defaultString == null ? null : JsonNodeFactory.instance.stringNode(defaultString);
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isString()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be a string".formatted(name)));
            return null;
        }
        String text = value.stringValue();
        if (!allowedValues.isEmpty() && !allowedValues.contains(text)) {
            violations.add(new Violation(
                    ViolationKind.INVALID_VALUE,
                    pointer,
                    "'%s' must be one of %s, but was '%s'".formatted(name, allowedValues, text)));
            return null;
        }
        if (text.isEmpty() || text.length() > maxLength) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'%s' must have 1 to %d characters".formatted(name, maxLength)));
            return null;
        }
        return value;
    }
}
