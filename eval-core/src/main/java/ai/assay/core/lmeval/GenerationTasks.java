package ai.assay.core.lmeval;

import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.filters.CustomFilters;
import ai.assay.reference.lmeval.filters.GenerateUntilScoring;
import java.util.List;
import java.util.Map;

/**
 * How each {@code generate_until} task of the catalog is scored: its {@code filter_list} and {@code metric_list}
 * as lm-eval reads them ({@link GenerateUntilScoring}), with the task functions Assay implements. Asked once per
 * task when the catalog loads, so a task file with an unknown filter is refused then, naming it.
 */
public final class GenerationTasks {

    private GenerationTasks() {}

    /**
     * @throws IllegalArgumentException when a filter or metric of the task is refused (the message names it)
     */
    @SuppressWarnings("unchecked")
    public static GenerateUntilScoring scoring(LmEvalTask task) {
        Object metricList = task.config().raw().get("metric_list");
        return GenerateUntilScoring.fromYaml(
                task.config().filterList(),
                metricList instanceof List<?> list ? (List<? extends Map<String, ?>>) list : null,
                CustomFilters.NONE);
    }
}
