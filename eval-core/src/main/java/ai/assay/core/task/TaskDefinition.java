package ai.assay.core.task;

import java.util.List;

/**
 * What the service knows about a task before running it: its name, what it does, the options it accepts and the
 * rules between them. The worker holds the matching implementation.
 */
public record TaskDefinition(String name, String description, List<OptionSpec> options, List<OptionsRule> rules) {

    public TaskDefinition {
        options = List.copyOf(options);
        rules = List.copyOf(rules);
    }

    /** A task whose options are independent of each other. */
    public TaskDefinition(String name, String description, List<OptionSpec> options) {
        this(name, description, options, List.of());
    }
}
