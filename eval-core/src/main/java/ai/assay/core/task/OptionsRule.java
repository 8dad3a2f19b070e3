package ai.assay.core.task;

import ai.assay.core.validation.Violation;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rule over several options of one task, checked after each option on its own was valid: e.g. an option that
 * needs another one set.
 */
@FunctionalInterface
public interface OptionsRule {

    /**
     * @param options the task's options as validated, defaults filled in
     * @param pointer where the task is in the request (its options are members of it)
     */
    void check(ObjectNode options, String pointer, List<Violation> violations);
}
