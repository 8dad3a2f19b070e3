package ai.assay.core.lmeval;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.datasets.DatasetRows;
import java.util.List;

/**
 * A task's documents: the evaluated split and, when shots are asked for, the few-shot pool, both after
 * {@code process_docs}.
 *
 * @param evalSource    where the evaluated split was read (for reports)
 * @param fewshotSource where the pool was read, or null
 */
public record TaskDocs(
        LmEvalTask task, List<Doc> evalDocs, List<Doc> fewshotDocs, DatasetRows evalSource, DatasetRows fewshotSource) {

    public TaskDocs {
        evalDocs = List.copyOf(evalDocs);
        fewshotDocs = List.copyOf(fewshotDocs);
    }

    /** Loads the splits the task needs for {@code numFewshot} shots. */
    public static TaskDocs load(LmEvalTask task, int numFewshot, DatasetResolver datasets) {
        DatasetRows eval = datasets.load(task.evalSplit());
        List<Doc> evalDocs = task.docs(eval.rows());
        if (numFewshot == 0) {
            return new TaskDocs(task, evalDocs, List.of(), eval, null);
        }
        if (task.config().fewshotSourceSplit().equals(task.config().evalSplit())) {
            return new TaskDocs(task, evalDocs, evalDocs, eval, eval);
        }
        DatasetRows pool = datasets.load(task.fewshotSplit());
        return new TaskDocs(task, evalDocs, task.docs(pool.rows()), eval, pool);
    }
}
