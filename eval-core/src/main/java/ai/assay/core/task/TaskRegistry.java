package ai.assay.core.task;

import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The tasks this service can run, and the validation of a submitted task against its definition.
 */
@Component
public class TaskRegistry {

    private final Map<String, TaskDefinition> definitions = new TreeMap<>();

    public TaskRegistry(List<TaskCatalog> catalogs) {
        for (TaskCatalog catalog : catalogs) {
            for (TaskDefinition definition : catalog.definitions()) {
                TaskDefinition previous = definitions.putIfAbsent(definition.name(), definition);
                if (previous != null) {
                    throw new IllegalStateException("task '%s' is defined twice".formatted(definition.name()));
                }
            }
        }
    }

    /** Every known task, by name. */
    public Collection<TaskDefinition> definitions() {
        return definitions.values().stream()
                .sorted(Comparator.comparing(TaskDefinition::name))
                .toList();
    }

    public Optional<TaskDefinition> find(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /**
     * Validates one submitted task, an object {@code {"name": ..., ...options}}.
     *
     * @param pointer where the task is in the request, for the violations
     * @return the task with its defaults filled in, or empty when it is invalid (reasons added to violations)
     */
    public Optional<ResolvedTask> resolve(JsonNode task, String pointer, List<Violation> violations) {
        if (task == null || !task.isObject()) {
            violations.add(new Violation(
                    ViolationKind.INVALID_TYPE, pointer, "a task must be an object such as {\"name\": \"arc_easy\"}"));
            return Optional.empty();
        }
        JsonNode nameNode = task.get("name");
        String namePointer = JsonPointers.child(pointer, "name");
        if (nameNode == null
                || nameNode.isNull()
                || (nameNode.isString() && nameNode.stringValue().isBlank())) {
            violations.add(new Violation(ViolationKind.MISSING_FIELD, namePointer, "a task needs a 'name'"));
            return Optional.empty();
        }
        if (!nameNode.isString()) {
            violations.add(new Violation(ViolationKind.INVALID_TYPE, namePointer, "a task's 'name' must be a string"));
            return Optional.empty();
        }
        String name = nameNode.stringValue();
        TaskDefinition definition = definitions.get(name);
        if (definition == null) {
            violations.add(new Violation(
                    ViolationKind.UNKNOWN_TASK,
                    namePointer,
                    "unknown task '%s'; GET /tasks lists the known ones".formatted(name)));
            return Optional.empty();
        }
        int before = violations.size();
        var options =
                ObjectOption.validateMembers(definition.options(), task, pointer, Map.of("name", nameNode), violations);
        if (violations.size() == before) {
            definition.rules().forEach(rule -> rule.check(options, pointer, violations));
        }
        return violations.size() == before ? Optional.of(new ResolvedTask(name, options)) : Optional.empty();
    }
}
