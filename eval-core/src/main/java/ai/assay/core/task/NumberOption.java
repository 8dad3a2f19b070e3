package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** A number in [minimum, maximum]. */
public record NumberOption(
        String name, String description, @JsonIgnore Double defaultDouble, double minimum, double maximum)
        implements OptionSpec {

    @Override
    public String type() {
        return "number";
    }

    @Override
    public JsonNode defaultValue() {
        return defaultDouble == null ? null : JsonNodeFactory.instance.numberNode(defaultDouble);
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isNumber()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be a number".formatted(name)));
            return null;
        }
        double number = value.doubleValue();
        if (!(number >= minimum && number <= maximum)) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'%s' must be between %s and %s, but was %s".formatted(name, minimum, maximum, value)));
            return null;
        }
        return JsonNodeFactory.instance.numberNode(number);
    }
}
