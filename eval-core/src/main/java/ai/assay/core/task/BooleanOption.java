package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** true or false. */
public record BooleanOption(
        String name, String description, @JsonIgnore Boolean defaultBoolean) implements OptionSpec {

    @Override
    public String type() {
        return "boolean";
    }

    @Override
    public JsonNode defaultValue() {
        return defaultBoolean == null ? null : JsonNodeFactory.instance.booleanNode(defaultBoolean);
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isBoolean()) {
            violations.add(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be true or false".formatted(name)));
            return null;
        }
        return value;
    }
}
