package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** A whole number in [minimum, maximum]. */
public record IntegerOption(
        String name, String description, @JsonIgnore Long defaultLong, long minimum, long maximum)
        implements OptionSpec {

    @Override
    public String type() {
        return "integer";
    }

    @Override
    public JsonNode defaultValue() {
        return defaultLong == null ? null : JsonNodeFactory.instance.numberNode(defaultLong);
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            violations.add(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be a whole number".formatted(name)));
            return null;
        }
        long number = value.longValue();
        if (number < minimum || number > maximum) {
            violations.add(new Violation(
                    ViolationKind.OUT_OF_RANGE,
                    pointer,
                    "'%s' must be between %d and %d, but was %d".formatted(name, minimum, maximum, number)));
            return null;
        }
        return JsonNodeFactory.instance.numberNode(number);
    }
}
