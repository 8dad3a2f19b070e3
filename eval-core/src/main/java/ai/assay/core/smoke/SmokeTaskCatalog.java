package ai.assay.core.smoke;

import ai.assay.core.task.IntegerOption;
import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The {@code smoke} task: needs no model and exercises the whole path of a job (claim, progress, checkpoints,
 * metrics, callback). It is the smoke test for deployments; docs/operations.md shows how to run it.
 */
@Component
public class SmokeTaskCatalog implements TaskCatalog {

    public static final String NAME = "smoke";

    public static final TaskDefinition DEFINITION = new TaskDefinition(
            NAME,
            "Runs without a model: each example waits a while and scores 1. Use it to check that a deployment"
                    + " claims, runs, checkpoints and reports jobs.",
            List.of(
                    new IntegerOption("examples", "How many examples to run", 20L, 0, 1_000_000),
                    new IntegerOption(
                            "millisPerExample", "How long each example takes, in milliseconds", 50L, 0, 3_600_000),
                    new IntegerOption(
                            "failAt",
                            "The index of an example that fails, failing the task; leave out for a task that"
                                    + " succeeds",
                            null,
                            0,
                            1_000_000)));

    @Override
    public List<TaskDefinition> definitions() {
        return List.of(DEFINITION);
    }
}
