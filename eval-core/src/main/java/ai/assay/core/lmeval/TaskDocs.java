package ai.assay.core.lmeval;

import ai.assay.core.datasets.DatasetResolver;
import ai.assay.core.datasets.DatasetRows;
import ai.assay.core.datasets.DatasetSplit;
import ai.assay.reference.lmeval.ChatOptions;
import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskPrompts;
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

    /** The requests for these documents ({@link TaskPrompts#build}). */
    public List<DocRequests> requests(int numFewshot, long seed, Integer limit) {
        return TaskPrompts.build(task, evalDocs, fewshotDocs, numFewshot, seed, limit);
    }

    /** The requests with lm-eval's prompt options ({@link TaskPrompts#build} with a chat template's renderer). */
    public List<DocRequests> requests(
            int numFewshot, long seed, Integer limit, ChatOptions chat, ChatPrompt.Renderer renderer) {
        return TaskPrompts.build(task, evalDocs, fewshotDocs, numFewshot, seed, limit, chat, renderer);
    }

    /** The chat messages of each document before a template renders them ({@link TaskPrompts#chatPrompts}). */
    public List<ChatPrompt> chatPrompts(int numFewshot, long seed, Integer limit, ChatOptions chat) {
        return TaskPrompts.chatPrompts(task, evalDocs, fewshotDocs, numFewshot, seed, limit, chat);
    }

    /** Loads the splits the task needs for {@code numFewshot} shots. */
    public static TaskDocs load(LmEvalTask task, int numFewshot, DatasetResolver datasets) {
        DatasetRows eval = datasets.load(split(task.config(), task.config().evalSplit()));
        List<Doc> evalDocs = task.docs(eval.rows());
        if (numFewshot == 0 || task.config().fewshotFromSamples()) {
            // the YAML's fewshot_config.samples are the pool (gsm8k_cot's exemplars): no split to read
            return new TaskDocs(task, evalDocs, List.of(), eval, null);
        }
        if (task.config().fewshotSourceSplit().equals(task.config().evalSplit())) {
            return new TaskDocs(task, evalDocs, evalDocs, eval, eval);
        }
        DatasetRows pool = datasets.load(split(task.config(), task.config().fewshotSourceSplit()));
        return new TaskDocs(task, evalDocs, task.docs(pool.rows()), eval, pool);
    }

    private static DatasetSplit split(TaskConfig config, String split) {
        return new DatasetSplit(config.datasetPath(), config.datasetName(), split);
    }
}
