package ai.assay.worker.task;

import ai.assay.core.evaluation.MetricValue;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A task's per-example results in the database. Every write is fenced by the job's lease (evaluation id, owner,
 * attempt): a worker that lost its lease gets {@link LeaseLostException} and writes nothing. Saving an example
 * that is already stored keeps the stored row, so a resumed job can never do an example twice.
 */
public interface TaskStore {

    /** Generations stored so far, by example id. */
    Map<String, StoredGeneration> generations();

    void saveGenerations(List<NewGeneration> generations);

    /** Judgments stored so far by this annotator, by example id. */
    Map<String, StoredJudgment> judgments(String annotator);

    void saveJudgments(List<NewJudgment> judgments);

    /** Per-sample scores stored so far, by doc id. */
    Map<Integer, StoredSampleScore> sampleScores();

    void saveSampleScores(List<NewSampleScore> scores);

    /** Replaces the task's aggregate metrics. */
    void saveMetrics(List<MetricValue> metrics);

    /** Stores what the task reports beyond its metrics (shown as the task's {@code result}). */
    void saveResult(JsonNode result);
}
