package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.FunctionRef;
import java.util.Map;
import java.util.Optional;

/**
 * The Java implementations of a task's own filter functions: a step written {@code function: !function utils.X},
 * or {@code function: custom} with {@code filter_fn: !function utils.X}. A function with none is refused.
 */
@FunctionalInterface
public interface CustomFilters {

    /** No task functions known: every {@code !function} filter is refused. */
    CustomFilters NONE = (function, kwargs) -> Optional.empty();

    /**
     * @param function the {@code !function} reference as the task file gives it
     * @param kwargs   the step's other keys (without {@code function}, and without {@code filter_fn} for
     *                 {@code custom})
     */
    Optional<FilterStep> step(FunctionRef function, Map<String, Object> kwargs);
}
