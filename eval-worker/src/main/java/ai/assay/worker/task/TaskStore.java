package ai.assay.worker.task;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.results.NewGeneration;
import ai.assay.core.results.NewJudgment;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.StoredGeneration;
import ai.assay.core.results.StoredJudgment;
import ai.assay.core.results.StoredSampleScore;
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

    /** Stores judgments; one already stored is kept unless its preference is null (a parse failure to retry). */
    void saveJudgments(List<NewJudgment> judgments);

    /** Per-sample scores stored so far, by doc id. */
    Map<Integer, StoredSampleScore> sampleScores();

    void saveSampleScores(List<NewSampleScore> scores);

    /** Replaces the task's aggregate metrics. */
    void saveMetrics(List<MetricValue> metrics);

    /** Stores what the task reports beyond its metrics (shown as the task's {@code result}). */
    void saveResult(JsonNode result);
}
