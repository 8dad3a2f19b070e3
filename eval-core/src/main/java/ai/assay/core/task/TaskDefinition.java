package ai.assay.core.task;

import java.util.List;

/**
 * What the service knows about a task before running it: its name, what it does, and the options it accepts.
 * The worker holds the matching implementation.
 */
public record TaskDefinition(String name, String description, List<OptionSpec> options) {

    public TaskDefinition {
        options = List.copyOf(options);
    }
}
