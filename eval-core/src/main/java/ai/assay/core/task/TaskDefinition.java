package ai.assay.core.task;

import java.util.List;

/**
 * What the service knows about a task before running it: its name, what it does, the options it accepts and the
 * rules between them. The worker holds the matching implementation.
 *
 * @param runsCode whether the task executes the model's responses as programs (HumanEval, MBPP): it runs only
 *                 where {@link CodeExecutionProperties#enabled()} is true
 */
public record TaskDefinition(
        String name, String description, List<OptionSpec> options, List<OptionsRule> rules, boolean runsCode) {

    public TaskDefinition {
        options = List.copyOf(options);
        rules = List.copyOf(rules);
    }

    /** A task whose options are independent of each other and that runs no code. */
    public TaskDefinition(String name, String description, List<OptionSpec> options) {
        this(name, description, options, List.of(), false);
    }
}
