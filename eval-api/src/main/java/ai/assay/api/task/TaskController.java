package ai.assay.api.task;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.task.TaskDefinition;
import ai.assay.core.task.TaskRegistry;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tasks the service knows, with their options and defaults. */
@RestController
@RequestMapping("/tasks")
class TaskController {

    record TaskListView(List<TaskDefinition> tasks) {}

    private final TaskRegistry registry;

    TaskController(TaskRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "List the tasks an evaluation can run, with their options and defaults")
    @GetMapping
    TaskListView list() {
        return new TaskListView(List.copyOf(registry.definitions()));
    }

    @Operation(summary = "Describe one task")
    @GetMapping("/{name}")
    TaskDefinition get(@PathVariable String name) {
        return registry.find(name)
                .orElseThrow(() -> new ProblemException(
                        ProblemKind.NOT_FOUND, "there is no task called '%s'; GET /tasks lists them".formatted(name)));
    }
}
