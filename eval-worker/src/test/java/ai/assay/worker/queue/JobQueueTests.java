package ai.assay.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.json.JsonColumns;
import ai.assay.core.results.NewSampleScore;
import ai.assay.core.results.TaskResultRepository;
import ai.assay.core.retry.RunStop;
import ai.assay.core.smoke.SmokeTaskCatalog;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.testing.FreshDatabaseExtension;
import ai.assay.worker.Jobs;
import ai.assay.worker.results.LeasedTaskStore;
import ai.assay.worker.task.LeaseLostException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The queue's SQL against a real PostgreSQL, without a running worker. */
class JobQueueTests {

    @RegisterExtension
    static final FreshDatabaseExtension db = new FreshDatabaseExtension();

    private static final Duration LEASE = Duration.ofMinutes(1);

    private JdbcClient jdbc;
    private JobQueue queue;
    private TaskResultRepository results;
    private TransactionTemplate transactions;
    private Jobs jobs;

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(db.dataSource());
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
        JsonColumns json = new JsonColumns(JsonMapper.builder().build());
        queue = new JobQueue(jdbc, json);
        results = new TaskResultRepository(jdbc, new NamedParameterJdbcTemplate(db.dataSource()), json);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(db.dataSource()));
        jobs = new Jobs(new EvaluationRepository(jdbc, json), new TaskRegistry(List.of(new SmokeTaskCatalog())));
    }

    private UUID submit(int priority) {
        return jobs.submit(priority, null, "{\"name\":\"smoke\"}");
    }

    @Test
    void claimsHighestPriorityThenOldestAndSetsTheLease() {
        UUID first = submit(0);
        UUID urgent = submit(5);
        UUID second = submit(0);

        List<UUID> order = List.of(
                claim("w").lease().evaluationId(),
                claim("w").lease().evaluationId(),
                claim("w").lease().evaluationId());

        assertThat(order).containsExactly(urgent, first, second);
        assertThat(queue.claim("w", LEASE)).isEmpty();
        Evaluation running = jobs.get(first);
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.leaseOwner()).isEqualTo("w");
        assertThat(running.attempt()).isEqualTo(1);
        assertThat(running.leaseExpiresAt()).isAfter(running.startedAt().plusSeconds(50));
    }

    @Test
    void theClaimSkipsRowsAnotherClaimerHolds() throws Exception {
        UUID locked = submit(9);
        UUID free = submit(0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("SELECT 1 FROM evaluation WHERE id = :id FOR UPDATE")
                    .param("id", locked)
                    .query(Integer.class)
                    .single();
            held.countDown();
            await(release);
        }));
        holder.start();
        held.await();

        ClaimedJob claimed = claim("w");

        release.countDown();
        holder.join();
        assertThat(claimed.lease().evaluationId()).isEqualTo(free);
    }

    @Test
    void aStaleWorkerCanWriteNothing() {
        UUID id = submit(0);
        ClaimedJob stale = claim("old-worker");
        long taskId = stale.tasks().get(0).id();
        expireLease(id);
        queue.reap(Duration.ofDays(1));
        ClaimedJob fresh = claim("new-worker");
        assertThat(fresh.lease().attempt()).isEqualTo(2);

        var staleStore = new LeasedTaskStore(
                results, queue, transactions, stale.lease(), taskId, DatabaseRetry.until(new RunStop()));
        assertThatThrownBy(() -> staleStore.saveSampleScores(List.of(sample(0))))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.finishTask(stale.lease(), taskId, RunState.SUCCEEDED, null))
                .isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> queue.complete(stale.lease())).isInstanceOf(LeaseLostException.class);
        assertThat(queue.heartbeat(stale.lease(), LEASE)).isEqualTo(HeartbeatResult.LOST);
        assertThat(results.sampleScores(taskId)).isEmpty();

        new LeasedTaskStore(results, queue, transactions, fresh.lease(), taskId, DatabaseRetry.until(new RunStop()))
                .saveSampleScores(List.of(sample(0)));
        assertThat(results.sampleScores(taskId)).containsOnlyKeys(0);
        assertThat(queue.heartbeat(fresh.lease(), LEASE)).isEqualTo(HeartbeatResult.RENEWED);
    }

    @Test
    void savingAStoredExampleAgainKeepsTheFirstRow() {
        UUID id = submit(0);
        ClaimedJob job = claim("w");
        long taskId = job.tasks().get(0).id();
        var store = new LeasedTaskStore(
                results, queue, transactions, job.lease(), taskId, DatabaseRetry.until(new RunStop()));

        store.saveSampleScores(List.of(sample(0), sample(1)));
        store.saveSampleScores(List.of(
                new NewSampleScore(
                        1,
                        JsonNodeFactory.instance.objectNode(),
                        JsonNodeFactory.instance.objectNode().put("acc", 0)),
                sample(2)));

        assertThat(results.sampleScores(taskId)).containsOnlyKeys(0, 1, 2);
        assertThat(results.sampleScores(taskId).get(1).scores().get("acc").intValue())
                .isEqualTo(1);
        assertThat(jobs.get(id).state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void theReaperRequeuesExpiredLeasesUntilAttemptsRunOut() {
        UUID id = submit(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            ClaimedJob job = claim("w" + attempt);
            assertThat(job.lease().attempt()).isEqualTo(attempt);
            queue.startTask(job.lease(), job.tasks().get(0).id());
            expireLease(id);
            List<UUID> failed = queue.reap(Duration.ofDays(1));
            assertThat(failed).hasSize(attempt == 3 ? 1 : 0);
        }

        Evaluation failed = jobs.get(id);
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error())
                .contains("lease expired in each of 3 attempts")
                .contains("w3");
        assertThat(failed.tasks().get(0).state()).isEqualTo(RunState.FAILED);
        assertThat(queue.claim("w", LEASE)).isEmpty();
    }

    @Test
    void theReaperFailsJobsOverTheMaximumRunTime() {
        UUID id = submit(0);
        claim("w");
        jdbc.sql("UPDATE evaluation SET started_at = now() - interval '3 hours' WHERE id = :id")
                .param("id", id)
                .update();

        assertThat(queue.reap(Duration.ofHours(2))).containsExactly(id);

        Evaluation failed = jobs.get(id);
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).contains("maximum run time of PT2H");
    }

    @Test
    void onlyOneReaperRunsAtATime() throws Exception {
        UUID id = submit(0);
        claim("w");
        expireLease(id);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<List<UUID>> firstResult = new AtomicReference<>();
        Thread first = new Thread(() -> transactions.executeWithoutResult(status -> {
            firstResult.set(queue.reap(Duration.ofDays(1)));
            holding.countDown();
            await(release);
        }));
        first.start();
        holding.await();

        boolean secondRan = Boolean.TRUE.equals(transactions.execute(status -> {
            queue.reap(Duration.ofDays(1));
            return jdbc.sql("SELECT pg_try_advisory_xact_lock(0)")
                    .query(Boolean.class)
                    .single();
        }));
        Evaluation duringFirst = jobs.get(id);

        release.countDown();
        first.join();
        assertThat(secondRan).isTrue();
        assertThat(duringFirst.state())
                .as("the second reaper skipped; the first one's change is not committed yet")
                .isEqualTo(RunState.RUNNING);
        assertThat(jobs.get(id).state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void releasingGivesTheJobBackWithoutCostingAnAttempt() {
        UUID id = submit(0);
        ClaimedJob job = claim("w");
        queue.startTask(job.lease(), job.tasks().get(0).id());

        queue.release(job.lease());

        Evaluation released = jobs.get(id);
        assertThat(released.state()).isEqualTo(RunState.QUEUED);
        assertThat(released.attempt()).isZero();
        assertThat(released.tasks().get(0).state()).isEqualTo(RunState.QUEUED);
        assertThat(claim("w2").lease().attempt()).isEqualTo(1);
    }

    @Test
    void theHeartbeatReportsACancelRequest() {
        UUID id = submit(0);
        ClaimedJob job = claim("w");
        jdbc.sql("UPDATE evaluation SET cancel_requested = true WHERE id = :id")
                .param("id", id)
                .update();

        assertThat(queue.heartbeat(job.lease(), LEASE)).isEqualTo(HeartbeatResult.CANCEL_REQUESTED);
    }

    @Test
    void theClaimCarriesTheModelWithItsAdapter() {
        ModelRef model = new ModelRef("m", "file:///models/base", "step-9", null).withAdapter("file:///models/lora");
        jobs.submit(model, 0, null, "{\"name\":\"smoke\"}");
        assertThat(claim("w").model()).isEqualTo(model);
    }

    private ClaimedJob claim(String owner) {
        return transactions.execute(status -> queue.claim(owner, LEASE)).orElseThrow();
    }

    private void expireLease(UUID id) {
        jdbc.sql("UPDATE evaluation SET lease_expires_at = now() - interval '1 second' WHERE id = :id")
                .param("id", id)
                .update();
    }

    private static NewSampleScore sample(int docId) {
        return new NewSampleScore(
                docId,
                JsonNodeFactory.instance.objectNode().put("doc_id", docId),
                JsonNodeFactory.instance.objectNode().put("acc", 1));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
