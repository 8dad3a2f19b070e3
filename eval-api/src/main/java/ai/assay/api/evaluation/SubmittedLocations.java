package ai.assay.api.evaluation;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.OutboundDecision;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.task.CodeExecutionProperties;
import ai.assay.core.task.OptionSpec;
import ai.assay.core.task.ResolvedTask;
import ai.assay.core.task.TaskDefinition;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.validation.JsonPointers;
import ai.assay.core.validation.Violation;
import ai.assay.core.validation.ViolationKind;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What a well-formed submission would make a worker call or open: the callback URL, the model directory and the
 * outputs URIs of its tasks. Each is put to the outbound guard or the file roots, so that a submission cannot
 * turn a worker into a way into the cluster or onto its node's files; and whether a task that runs the model's
 * code may run in this deployment at all. A host name that does not resolve here is
 * let through: the workers may see another DNS, and they check again before they connect.
 */
@Component
class SubmittedLocations {

    private final OutboundGuard guard;
    private final FileRoots roots;
    private final TaskRegistry registry;
    private final CodeExecutionProperties codeExecution;

    SubmittedLocations(
            OutboundGuard guard, FileRoots roots, TaskRegistry registry, CodeExecutionProperties codeExecution) {
        this.guard = guard;
        this.roots = roots;
        this.registry = registry;
        this.codeExecution = codeExecution;
    }

    /** Adds a violation for the callback URL when the guard refuses it. */
    void checkCallback(URI callbackUrl, List<Violation> violations) {
        checkUrl("callbackUrl", callbackUrl, "/callbackUrl", violations);
    }

    /** Adds a violation for the model location (as submitted) when it lies outside the roots. */
    void checkModel(String location, List<Violation> violations) {
        String path = location.startsWith("/") ? location : URI.create(location).getPath();
        checkFile("model.uri", path, "/model/uri", violations);
    }

    /** Adds a violation for the adapter location (as submitted) when it lies outside the roots. */
    void checkAdapter(String location, List<Violation> violations) {
        String path = location.startsWith("/") ? location : URI.create(location).getPath();
        checkFile("model.adapter", path, "/model/adapter", violations);
    }

    /**
     * Adds a violation for each task (at {@code /tasks/<i>}) that runs the model's code while this deployment's
     * {@code assay.code-execution.enabled} is false: no worker may run it, so the API refuses it up front.
     */
    void checkCodeExecution(List<ResolvedTask> tasks, List<Violation> violations) {
        if (codeExecution.enabled()) {
            return;
        }
        for (int i = 0; i < tasks.size(); i++) {
            String name = tasks.get(i).name();
            if (registry.find(name).map(TaskDefinition::runsCode).orElse(false)) {
                violations.add(new Violation(
                        ViolationKind.CODE_EXECUTION_DISABLED,
                        JsonPointers.child("/tasks", i),
                        ("task '%s' runs the code its model writes, and code execution is not enabled for this"
                                        + " deployment (assay.code-execution.enabled)")
                                .formatted(name)));
            }
        }
    }

    /** Adds a violation for each outputs URI of the tasks (at {@code /tasks/<i>/<option>}) that is refused. */
    void checkTasks(List<ResolvedTask> tasks, List<Violation> violations) {
        for (int i = 0; i < tasks.size(); i++) {
            ResolvedTask task = tasks.get(i);
            Optional<TaskDefinition> definition = registry.find(task.name());
            if (definition.isEmpty()) {
                continue;
            }
            for (OptionSpec option : definition.get().options()) {
                if (!option.namesLocation()) {
                    continue;
                }
                JsonNode value = task.options().get(option.name());
                if (value == null || !value.isString()) {
                    continue; // absent, or given inline
                }
                String pointer = JsonPointers.child(JsonPointers.child("/tasks", i), option.name());
                URI uri = URI.create(value.stringValue());
                if (uri.getScheme().toLowerCase(Locale.ROOT).equals("file")) {
                    checkFile(option.name(), uri.getPath(), pointer, violations);
                } else {
                    checkUrl(option.name(), uri, pointer, violations);
                }
            }
        }
    }

    private void checkUrl(String field, URI uri, String pointer, List<Violation> violations) {
        OutboundDecision decision = guard.check(uri);
        if (decision.refused()) {
            violations.add(new Violation(
                    ViolationKind.OUTBOUND_REFUSED,
                    pointer,
                    "'%s' is refused: %s".formatted(field, decision.reason())));
        }
    }

    private void checkFile(String field, String path, String pointer, List<Violation> violations) {
        Optional<String> refusal;
        try {
            refusal = roots.refusal(Path.of(path));
        } catch (InvalidPathException e) {
            refusal = Optional.of("the path is not valid");
        }
        refusal.ifPresent(reason -> violations.add(new Violation(
                ViolationKind.FILE_OUTSIDE_ROOTS, pointer, "'%s' is refused: %s".formatted(field, reason))));
    }
}
