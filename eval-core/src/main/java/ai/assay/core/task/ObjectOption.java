package ai.assay.core.task;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A group of options under one name, such as {@code generation: {temperature, topP, ...}}. Its default is the
 * object of its members' defaults, so a task that leaves the group out still gets every default.
 */
public record ObjectOption(String name, String description, List<OptionSpec> options) implements OptionSpec {

    public ObjectOption {
        options = List.copyOf(options);
    }

    @Override
    public String type() {
        return "object";
    }

    @Override
    public JsonNode defaultValue() {
        ObjectNode defaults = defaultsOf(options);
        return defaults.isEmpty() ? null : defaults;
    }

    @Override
    public JsonNode validate(JsonNode value, String pointer, List<Violation> violations) {
        if (!value.isObject()) {
            violations.add(
                    new Violation(ViolationKind.INVALID_TYPE, pointer, "'%s' must be an object".formatted(name)));
            return null;
        }
        return validateMembers(options, value, pointer, Map.of(), violations);
    }

    static ObjectNode defaultsOf(List<OptionSpec> options) {
        ObjectNode defaults = JsonNodeFactory.instance.objectNode();
        for (OptionSpec option : options) {
            JsonNode value = option.defaultValue();
            if (value != null) {
                defaults.set(option.name(), value);
            }
        }
        return defaults;
    }

    /**
     * Validates the members of an object against option specs, fills in defaults and reports unknown members.
     * Members named in {@code reserved} (such as a task's "name") are neither options nor unknown.
     */
    static ObjectNode validateMembers(
            List<OptionSpec> options,
            JsonNode object,
            String pointer,
            Map<String, JsonNode> reserved,
            List<Violation> violations) {
        ObjectNode resolved = JsonNodeFactory.instance.objectNode();
        for (var member : object.properties()) {
            String key = member.getKey();
            if (reserved.containsKey(key)) {
                continue;
            }
            String memberPointer = JsonPointers.child(pointer, key);
            OptionSpec option = options.stream()
                    .filter(o -> o.name().equals(key))
                    .findFirst()
                    .orElse(null);
            if (option == null) {
                violations.add(new Violation(
                        ViolationKind.UNKNOWN_OPTION,
                        memberPointer,
                        "unknown option '%s'; known options: %s".formatted(key, names(options))));
            } else if (member.getValue().isNull()) {
                violations.add(new Violation(
                        ViolationKind.INVALID_TYPE,
                        memberPointer,
                        "'%s' must not be null; leave it out to take the default".formatted(key)));
            } else {
                JsonNode valid = option.validate(member.getValue(), memberPointer, violations);
                if (valid != null) {
                    resolved.set(key, valid);
                }
            }
        }
        for (OptionSpec option : options) {
            JsonNode defaultValue = option.defaultValue();
            if (!object.has(option.name()) && defaultValue != null) {
                resolved.set(option.name(), defaultValue);
            }
        }
        return resolved;
    }

    private static List<String> names(List<OptionSpec> options) {
        return options.stream().map(OptionSpec::name).toList();
    }
}
