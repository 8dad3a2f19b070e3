package ai.assay.worker.results;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.results.NewGeneration;
import ai.assay.core.results.NewJudgment;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.StoredGeneration;
import ai.assay.core.results.StoredJudgment;
import ai.assay.core.results.StoredSampleScore;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.worker.queue.DatabaseRetry;
import ai.assay.worker.queue.JobQueue;
import ai.assay.worker.queue.Lease;
import ai.assay.worker.task.TaskStore;
import java.util.List;
import java.util.Map;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * One task's {@link TaskStore}: each write runs in a transaction that first checks, and locks, the job's lease.
 * Reads and writes go through the job's {@link DatabaseRetry}: a write that met a database restart runs again in a
 * new transaction (the inserts keep existing rows, metrics and results replace), so the task never sees the outage.
 */
public class LeasedTaskStore implements TaskStore {

    private final TaskResultRepository results;
    private final JobQueue queue;
    private final TransactionTemplate transactions;
    private final Lease lease;
    private final long taskId;
    private final DatabaseRetry retry;

    public LeasedTaskStore(
            TaskResultRepository results,
            JobQueue queue,
            TransactionTemplate transactions,
            Lease lease,
            long taskId,
            DatabaseRetry retry) {
        this.results = results;
        this.retry = retry;
        this.queue = queue;
        this.transactions = transactions;
        this.lease = lease;
        this.taskId = taskId;
    }

    @Override
    public Map<String, StoredGeneration> generations() {
        return retry.call(() -> results.generations(taskId));
    }

    @Override
    public void saveGenerations(List<NewGeneration> generations) {
        if (!generations.isEmpty()) {
            fenced(() -> results.insertGenerations(taskId, lease.attempt(), generations));
        }
    }

    @Override
    public Map<String, StoredJudgment> judgments(String annotator) {
        return retry.call(() -> results.judgments(taskId, annotator));
    }

    @Override
    public void saveJudgments(List<NewJudgment> judgments) {
        if (!judgments.isEmpty()) {
            fenced(() -> results.insertJudgments(taskId, lease.attempt(), judgments));
        }
    }

    @Override
    public Map<Integer, StoredSampleScore> sampleScores() {
        return retry.call(() -> results.sampleScores(taskId));
    }

    @Override
    public void saveSampleScores(List<NewSampleScore> scores) {
        if (!scores.isEmpty()) {
            fenced(() -> results.insertSampleScores(taskId, lease.attempt(), scores));
        }
    }

    @Override
    public void saveMetrics(List<MetricValue> metrics) {
        fenced(() -> results.replaceMetrics(taskId, metrics));
    }

    @Override
    public void saveResult(JsonNode result) {
        fenced(() -> results.saveResult(taskId, result));
    }

    private void fenced(Runnable write) {
        retry.run(() -> transactions.executeWithoutResult(status -> {
            queue.assertLeaseHeld(lease);
            write.run();
        }));
    }
}
