package ai.assay.worker.queue;

import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.core.json.JsonColumns;
import ai.assay.worker.task.LeaseLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.node.ObjectNode;

/**
 * All of the queue's SQL: claiming, lease renewal, task state, and ending, releasing or reaping jobs. Times come
 * from the database clock. Every write made for a running job is fenced by its {@link Lease}.
 */
@Repository
public class JobQueue {

    private final JdbcClient jdbc;
    private final JsonColumns json;

    public JobQueue(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Claims the queued job that runs next (highest priority, then oldest), in one statement: rows locked by
     * another claimer are skipped, never waited for.
     */
    @Transactional
    public Optional<ClaimedJob> claim(String owner, Duration lease) {
        Optional<ClaimRow> claimed = jdbc.sql("""
                WITH next AS (
                    SELECT id FROM evaluation
                     WHERE state = 'queued'
                     ORDER BY priority DESC, created_at, id
                     LIMIT 1
                       FOR UPDATE SKIP LOCKED)
                UPDATE evaluation e
                   SET state = 'running',
                       lease_owner = :owner,
                       attempt = e.attempt + 1,
                       lease_expires_at = now() + make_interval(secs => :leaseSeconds),
                       started_at = coalesce(e.started_at, now())
                  FROM next
                 WHERE e.id = next.id
                RETURNING e.id, e.attempt, e.max_attempts, e.model_name, e.model_uri, e.model_revision,
                          e.chat_template, e.model_adapter
                """)
                .param("owner", owner)
                .param("leaseSeconds", seconds(lease))
                .query((rs, row) -> new ClaimRow(
                        rs.getObject("id", UUID.class),
                        rs.getInt("attempt"),
                        rs.getInt("max_attempts"),
                        new ModelRef(
                                rs.getString("model_name"),
                                rs.getString("model_uri"),
                                rs.getString("model_revision"),
                                rs.getString("chat_template"),
                                rs.getString("model_adapter"))))
                .optional();
        return claimed.map(row -> new ClaimedJob(
                new Lease(row.id(), owner, row.attempt()), row.maxAttempts(), row.model(), tasksOf(row.id())));
    }

    private List<JobTask> tasksOf(UUID evaluationId) {
        return jdbc.sql(
                        "SELECT id, name, options, state FROM evaluation_task WHERE evaluation_id = :id ORDER BY position")
                .param("id", evaluationId)
                .query((rs, row) -> new JobTask(
                        rs.getLong("id"),
                        rs.getString("name"),
                        (ObjectNode) json.read(rs.getString("options")),
                        RunState.of(rs.getString("state"))))
                .list();
    }

    /** Renews the lease and reads the cancel flag, in one statement. */
    public HeartbeatResult heartbeat(Lease lease, Duration duration) {
        return jdbc.sql("""
                UPDATE evaluation SET lease_expires_at = now() + make_interval(secs => :leaseSeconds)
                 WHERE id = :id AND state = 'running' AND lease_owner = :owner AND attempt = :attempt
                RETURNING cancel_requested
                """)
                .param("leaseSeconds", seconds(duration))
                .params(fence(lease))
                .query(Boolean.class)
                .optional()
                .map(cancel -> cancel ? HeartbeatResult.CANCEL_REQUESTED : HeartbeatResult.RENEWED)
                .orElse(HeartbeatResult.LOST);
    }

    /**
     * Locks the job's row against the reaper and the API for the rest of the transaction, or throws
     * {@link LeaseLostException} when the lease is no longer held. Call it first in every transaction that writes
     * results of a running job.
     */
    public void assertLeaseHeld(Lease lease) {
        boolean held = jdbc.sql("""
                SELECT 1 FROM evaluation
                 WHERE id = :id AND state = 'running' AND lease_owner = :owner AND attempt = :attempt
                   FOR SHARE
                """)
                .params(fence(lease))
                .query(Integer.class)
                .optional()
                .isPresent();
        if (!held) {
            throw new LeaseLostException("evaluation %s is no longer held by %s in attempt %d"
                    .formatted(lease.evaluationId(), lease.owner(), lease.attempt()));
        }
    }

    @Transactional
    public void startTask(Lease lease, long taskId) {
        assertLeaseHeld(lease);
        jdbc.sql("""
                UPDATE evaluation_task
                   SET state = 'running', started_at = coalesce(started_at, now()), error = NULL, updated_at = now()
                 WHERE id = :taskId
                """).param("taskId", taskId).update();
    }

    @Transactional
    public void updateProgress(
            Lease lease, long taskId, TaskPhase phase, int done, Integer total, boolean phaseStarted) {
        assertLeaseHeld(lease);
        jdbc.sql("""
                UPDATE evaluation_task
                   SET phase = :phase, done = :done, total = :total, updated_at = now(),
                       phase_started_at = CASE WHEN :phaseStarted THEN now() ELSE phase_started_at END,
                       phase_done_start = CASE WHEN :phaseStarted THEN :done ELSE phase_done_start END
                 WHERE id = :taskId
                """)
                .param("phase", phase.value())
                .param("done", done)
                .param("total", total)
                .param("phaseStarted", phaseStarted)
                .param("taskId", taskId)
                .update();
    }

    /** Ends a task: succeeded, or failed with its error. */
    @Transactional
    public void finishTask(Lease lease, long taskId, RunState state, String error) {
        assertLeaseHeld(lease);
        jdbc.sql("""
                UPDATE evaluation_task
                   SET state = :state, error = :error, phase = NULL, finished_at = now(), updated_at = now()
                 WHERE id = :taskId
                """)
                .param("state", state.value())
                .param("error", error)
                .param("taskId", taskId)
                .update();
    }

    /**
     * Ends a job whose tasks all ran: succeeded when every task succeeded, else failed.
     *
     * @return the state it ended in
     */
    @Transactional
    public RunState complete(Lease lease) {
        assertLeaseHeld(lease);
        List<TaskOutcome> outcomes = jdbc.sql(
                        "SELECT name, state, error FROM evaluation_task WHERE evaluation_id = :id ORDER BY position")
                .param("id", lease.evaluationId())
                .query((rs, row) -> new TaskOutcome(
                        rs.getString("name"), RunState.of(rs.getString("state")), rs.getString("error")))
                .list();
        List<TaskOutcome> failed =
                outcomes.stream().filter(o -> o.state() != RunState.SUCCEEDED).toList();
        RunState state = failed.isEmpty() ? RunState.SUCCEEDED : RunState.FAILED;
        String error = failed.isEmpty()
                ? null
                : "%d of %d tasks failed: %s"
                        .formatted(
                                failed.size(),
                                outcomes.size(),
                                String.join(
                                        "; ",
                                        failed.stream()
                                                .map(o -> o.name() + ": "
                                                        + (o.error() == null
                                                                ? o.state().value()
                                                                : o.error()))
                                                .toList()));
        end(lease, state, error);
        return state;
    }

    /** Ends a job that was cancelled while it ran; its unfinished tasks are cancelled. */
    @Transactional
    public void completeCancelled(Lease lease) {
        assertLeaseHeld(lease);
        jdbc.sql("""
                UPDATE evaluation_task
                   SET state = 'cancelled', phase = NULL, finished_at = now(), updated_at = now()
                 WHERE evaluation_id = :id AND state IN ('queued', 'running')
                """).param("id", lease.evaluationId()).update();
        end(lease, RunState.CANCELLED, "cancelled while running");
    }

    private void end(Lease lease, RunState state, String error) {
        jdbc.sql("""
                UPDATE evaluation
                   SET state = :state, error = :error, finished_at = now(), lease_owner = NULL,
                       lease_expires_at = NULL
                 WHERE id = :id
                """)
                .param("state", state.value())
                .param("error", error)
                .param("id", lease.evaluationId())
                .update();
    }

    /**
     * Gives a job back to the queue, e.g. when the worker shuts down: what it has checkpointed stays, and the
     * attempt does not count against the job.
     */
    @Transactional
    public void release(Lease lease) {
        assertLeaseHeld(lease);
        jdbc.sql("""
                UPDATE evaluation_task SET state = 'queued', phase = NULL, updated_at = now()
                 WHERE evaluation_id = :id AND state = 'running'
                """).param("id", lease.evaluationId()).update();
        jdbc.sql("""
                UPDATE evaluation
                   SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, attempt = attempt - 1
                 WHERE id = :id
                """).param("id", lease.evaluationId()).update();
    }

    /**
     * Ends an attempt that failed outside any task (an error in the worker itself): the job is queued again while
     * attempts remain, else it fails.
     *
     * @return the job's new state
     */
    @Transactional
    public RunState failAttempt(Lease lease, String error) {
        assertLeaseHeld(lease);
        RunState state = jdbc.sql("""
                UPDATE evaluation
                   SET state = CASE WHEN attempt < max_attempts THEN 'queued' ELSE 'failed' END,
                       finished_at = CASE WHEN attempt < max_attempts THEN NULL ELSE now() END,
                       error = CASE WHEN attempt < max_attempts THEN NULL
                                    ELSE format('failed in %s attempts; last: %s', attempt, CAST(:error AS text)) END,
                       attempt_errors = attempt_errors || jsonb_build_object('attempt', attempt, 'worker',
                                        lease_owner, 'error', CAST(:error AS text), 'at', now()),
                       lease_owner = NULL, lease_expires_at = NULL
                 WHERE id = :id
                RETURNING state
                """)
                .param("error", error)
                .param("id", lease.evaluationId())
                .query(String.class)
                .optional()
                .map(RunState::of)
                .orElseThrow();
        settleTasks(lease.evaluationId(), state, "not run: the evaluation failed (" + error + ")");
        return state;
    }

    /**
     * Requeues running jobs whose lease expired while attempts remain and fails the others, and fails jobs that
     * have run longer than {@code maxRunTime} in all. Only one reaper runs at a time across all workers (a
     * transaction-scoped advisory lock); the others skip this round.
     *
     * @return the jobs this call ended as failed (for their callbacks); empty when another reaper holds the lock
     */
    @Transactional
    public List<UUID> reap(Duration maxRunTime) {
        boolean leader = Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(:key)")
                .param("key", REAPER_LOCK)
                .query(Boolean.class)
                .single());
        if (!leader) {
            return List.of();
        }
        List<Map.Entry<UUID, RunState>> expired = jdbc.sql("""
                UPDATE evaluation
                   SET state = CASE WHEN attempt < max_attempts THEN 'queued' ELSE 'failed' END,
                       finished_at = CASE WHEN attempt < max_attempts THEN NULL ELSE now() END,
                       error = CASE WHEN attempt < max_attempts THEN NULL
                                    ELSE format('the worker''s lease expired in each of %s attempts (last: %s)',
                                                attempt, lease_owner) END,
                       attempt_errors = attempt_errors || jsonb_build_object('attempt', attempt, 'worker',
                                        lease_owner, 'error', 'lease expired', 'at', now()),
                       lease_owner = NULL, lease_expires_at = NULL
                 WHERE state = 'running' AND lease_expires_at < now()
                RETURNING id, state
                """)
                .query((rs, row) -> Map.entry(rs.getObject("id", UUID.class), RunState.of(rs.getString("state"))))
                .list();
        for (var job : expired) {
            settleTasks(job.getKey(), job.getValue(), "not run: the evaluation failed (its worker's lease expired)");
        }
        List<UUID> overdue = jdbc.sql("""
                UPDATE evaluation
                   SET state = 'failed', finished_at = now(),
                       error = format('ran longer than the maximum run time of %s', CAST(:maxRunTime AS text)),
                       lease_owner = NULL, lease_expires_at = NULL
                 WHERE state IN ('queued', 'running') AND started_at < now() - make_interval(secs => :seconds)
                RETURNING id
                """)
                .param("maxRunTime", maxRunTime.toString())
                .param("seconds", seconds(maxRunTime))
                .query(UUID.class)
                .list();
        for (UUID id : overdue) {
            settleTasks(id, RunState.FAILED, "not finished: the evaluation ran longer than its maximum run time");
        }
        List<UUID> failed = new ArrayList<>(overdue);
        expired.stream()
                .filter(e -> e.getValue() == RunState.FAILED)
                .map(Map.Entry::getKey)
                .forEach(failed::add);
        return failed;
    }

    /** After a job was requeued or failed outside the worker's control: running tasks go back or fail. */
    private void settleTasks(UUID evaluationId, RunState jobState, String failure) {
        if (jobState == RunState.QUEUED) {
            jdbc.sql("""
                    UPDATE evaluation_task SET state = 'queued', phase = NULL, updated_at = now()
                     WHERE evaluation_id = :id AND state = 'running'
                    """).param("id", evaluationId).update();
        } else {
            jdbc.sql("""
                    UPDATE evaluation_task
                       SET state = 'failed', phase = NULL, finished_at = now(), updated_at = now(),
                           error = coalesce(error, :error)
                     WHERE evaluation_id = :id AND state IN ('queued', 'running')
                    """).param("id", evaluationId).param("error", failure).update();
        }
    }

    private static Map<String, Object> fence(Lease lease) {
        return Map.of("id", lease.evaluationId(), "owner", lease.owner(), "attempt", lease.attempt());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** An arbitrary constant naming the reaper's advisory lock. */
    private static final long REAPER_LOCK = 0x4153534159L;

    private record ClaimRow(UUID id, int attempt, int maxAttempts, ModelRef model) {}

    private record TaskOutcome(String name, RunState state, String error) {}
}
