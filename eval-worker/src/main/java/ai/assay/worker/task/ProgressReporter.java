package ai.assay.worker.task;

import ai.assay.core.evaluation.TaskPhase;

/**
 * Reports what a task is doing; shown in {@code GET /evaluations/{id}}. Writes to the database are throttled,
 * so runners may call {@link #advance(int)} for every example.
 */
public interface ProgressReporter {

    /**
     * Starts a phase.
     *
     * @param total       how many examples the phase has, or null if unknown
     * @param alreadyDone how many of them a previous attempt finished (they do not count towards the rate)
     */
    void phase(TaskPhase phase, Integer total, int alreadyDone);

    /** Marks examples of the current phase as done. */
    void advance(int examples);

    /** Counts tokens for the worker's throughput metrics. */
    void tokens(int promptTokens, int generatedTokens);
}
