package ai.assay.core.evaluation;

import static ai.assay.core.jdbc.ResultSets.instant;
import static ai.assay.core.jdbc.ResultSets.nullableDouble;
import static ai.assay.core.jdbc.ResultSets.nullableInt;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.task.ResolvedTask;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The SQL of the evaluation aggregate as the API sees it: evaluations, their tasks and their metrics. The queue's
 * SQL (claims, leases, progress writes) lives in the worker's queue package; the one write of a running job here,
 * {@link #recordModelBuild}, is fenced by the lease as the queue's writes are.
 */
@Repository
public class EvaluationRepository {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonColumns json;

    public EvaluationRepository(JdbcClient jdbc, JsonColumns json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Stores a new evaluation and its tasks, in one statement: nothing can see the evaluation without its tasks.
     *
     * @param submittedBy    the API token that submitted it, or null when no token did (tests, tools)
     * @param idempotencyKey the client's key, or null
     * @param requestHash    the hash of the request, stored with the key; null when the key is null
     * @return the new evaluation's id, or empty when another evaluation already holds the idempotency key
     */
    public Optional<UUID> insert(
            NewEvaluation evaluation, UUID submittedBy, String idempotencyKey, String requestHash) {
        return insert(evaluation, RunState.QUEUED, submittedBy, idempotencyKey, requestHash);
    }

    /** Stores a new evaluation that no API token submitted, as {@link #insert(NewEvaluation, UUID, String, String)}. */
    public Optional<UUID> insert(NewEvaluation evaluation, String idempotencyKey, String requestHash) {
        return insert(evaluation, null, idempotencyKey, requestHash);
    }

    /**
     * Stores an evaluation whose results come from elsewhere (an import): it and its tasks are succeeded at once,
     * and never queued. The caller adds the results in the same transaction.
     */
    @Transactional
    public UUID insertSucceeded(NewEvaluation evaluation, UUID submittedBy) {
        return insert(evaluation, RunState.SUCCEEDED, submittedBy, null, null).orElseThrow();
    }

    private Optional<UUID> insert(
            NewEvaluation evaluation, RunState state, UUID submittedBy, String idempotencyKey, String requestHash) {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int position = 0; position < evaluation.tasks().size(); position++) {
            ResolvedTask task = evaluation.tasks().get(position);
            tasks.add(Map.of("position", position, "name", task.name(), "options", task.options()));
        }
        return jdbc.sql("""
                WITH created AS (
                    INSERT INTO evaluation (state, priority, model_name, model_uri, model_revision, chat_template,
                                            model_adapter, spec, labels, callback_url, max_attempts, idempotency_key, request_hash,
                                            submitted_by, started_at, finished_at)
                    VALUES (:state, :priority, :modelName, :modelUri, :modelRevision, :chatTemplate,
                            :modelAdapter, CAST(:spec AS jsonb), CAST(:labels AS jsonb), :callbackUrl, :maxAttempts, :idempotencyKey,
                            :requestHash, :submittedBy, CASE WHEN :finished THEN now() END,
                            CASE WHEN :finished THEN now() END)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING id),
                tasks AS (
                    INSERT INTO evaluation_task (evaluation_id, position, name, options, state, started_at,
                                                 finished_at)
                    SELECT created.id, task.position, task.name, task.options, :state,
                           CASE WHEN :finished THEN now() END, CASE WHEN :finished THEN now() END
                      FROM created
                     CROSS JOIN jsonb_to_recordset(CAST(:tasks AS jsonb)) AS task(position integer, name text,
                                                                                 options jsonb))
                SELECT id FROM created
                """)
                .param("state", state.value())
                .param("finished", state.isTerminal())
                .param("priority", evaluation.priority())
                .param("modelName", evaluation.model().name())
                .param("modelUri", evaluation.model().uri())
                .param("modelRevision", evaluation.model().revision())
                .param("chatTemplate", evaluation.model().chatTemplate())
                .param("modelAdapter", evaluation.model().adapter())
                .param("spec", json.write(evaluation.spec()))
                .param("labels", json.write(evaluation.labels()))
                .param(
                        "callbackUrl",
                        evaluation.callbackUrl() == null
                                ? null
                                : evaluation.callbackUrl().toString())
                .param("maxAttempts", evaluation.maxAttempts())
                .param("idempotencyKey", idempotencyKey)
                .param("requestHash", requestHash)
                .param("submittedBy", submittedBy)
                .param("tasks", json.write(tasks))
                .query(UUID.class)
                .optional();
    }

    /**
     * Holds, until the transaction ends, a lock on the model name: writers that decide by what a model already has
     * (an import that must not take another's place) run one at a time per model.
     */
    public void lockModelName(String modelName) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('assay.model:' || :model))")
                .param("model", modelName)
                .query()
                .singleRow();
    }

    public Optional<StoredSubmission> findByIdempotencyKey(String idempotencyKey) {
        return jdbc.sql("SELECT id, request_hash FROM evaluation WHERE idempotency_key = :key")
                .param("key", idempotencyKey)
                .query((rs, row) -> new StoredSubmission(rs.getObject("id", UUID.class), rs.getString("request_hash")))
                .optional();
    }

    public Optional<Evaluation> findById(UUID id) {
        List<EvaluationRow> rows = jdbc.sql("SELECT * FROM evaluation WHERE id = :id")
                .param("id", id)
                .query(this::mapEvaluation)
                .list();
        return withTasks(rows).stream().findFirst();
    }

    /** Evaluations matching the filter, newest first. */
    public Page<Evaluation> search(EvaluationFilter filter, int page, int size) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (filter.state() != null) {
            conditions.add("state = :state");
            params.put("state", filter.state().value());
        }
        if (filter.modelName() != null) {
            conditions.add("model_name = :modelName");
            params.put("modelName", filter.modelName());
        }
        if (!filter.labels().isEmpty()) {
            conditions.add("labels @> CAST(:labels AS jsonb)");
            params.put("labels", json.write(filter.labels()));
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        long total = jdbc.sql("SELECT count(*) FROM evaluation " + where)
                .params(params)
                .query(Long.class)
                .single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<EvaluationRow> rows = jdbc.sql("SELECT * FROM evaluation " + where
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(this::mapEvaluation)
                .list();
        return new Page<>(withTasks(rows), page, size, total);
    }

    /**
     * Cancels a queued evaluation at once, or asks the worker of a running one to stop it.
     *
     * @return what happened, or empty when there is no such evaluation
     */
    @Transactional
    public Optional<CancelOutcome> cancel(UUID id) {
        Optional<RunState> state = jdbc.sql("SELECT state FROM evaluation WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query(String.class)
                .optional()
                .map(RunState::of);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        switch (state.get()) {
            case QUEUED -> {
                jdbc.sql("""
                        UPDATE evaluation
                           SET state = 'cancelled', cancel_requested = true, finished_at = now(),
                               error = 'cancelled before it started'
                         WHERE id = :id
                        """).param("id", id).update();
                jdbc.sql("""
                        UPDATE evaluation_task
                           SET state = 'cancelled', finished_at = now(), updated_at = now()
                         WHERE evaluation_id = :id AND state IN ('queued', 'running')
                        """).param("id", id).update();
                return Optional.of(CancelOutcome.CANCELLED);
            }
            case RUNNING -> {
                int changed = jdbc.sql("""
                        UPDATE evaluation SET cancel_requested = true WHERE id = :id AND NOT cancel_requested
                        """).param("id", id).update();
                return Optional.of(changed == 1 ? CancelOutcome.CANCEL_REQUESTED : CancelOutcome.ALREADY_FINISHED);
            }
            default -> {
                return Optional.of(CancelOutcome.ALREADY_FINISHED);
            }
        }
    }

    /**
     * Records what a worker built to run the evaluation's model, replacing what an earlier attempt recorded (a job
     * resumed on another worker records its own build). The write is fenced like every write of a running job: in
     * one statement, only while the evaluation is running under this owner and attempt, so a worker whose lease was
     * taken over changes nothing. Running it again writes the same value, so a retry after a lost commit is safe.
     *
     * @return whether it was recorded; false means the lease is no longer held and nothing was written
     */
    public boolean recordModelBuild(UUID evaluationId, String owner, int attempt, ModelBuildRecord build) {
        return jdbc.sql("""
                        UPDATE evaluation SET model_build = CAST(:build AS jsonb)
                         WHERE id = :id AND state = 'running' AND lease_owner = :owner AND attempt = :attempt
                        """)
                        .param("build", json.write(build))
                        .param("id", evaluationId)
                        .param("owner", owner)
                        .param("attempt", attempt)
                        .update()
                == 1;
    }

    /** How many evaluations are in each state; every state is present, with 0 where there are none. */
    public Map<RunState, Long> countByState() {
        Map<RunState, Long> counts = new EnumMap<>(RunState.class);
        for (RunState state : RunState.values()) {
            counts.put(state, 0L);
        }
        jdbc.sql("SELECT state, count(*) AS n FROM evaluation GROUP BY state").query(rs -> {
            counts.put(RunState.of(rs.getString("state")), rs.getLong("n"));
        });
        return counts;
    }

    private List<Evaluation> withTasks(List<EvaluationRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = rows.stream().map(EvaluationRow::id).toList();
        Map<UUID, List<TaskRow>> tasksByEvaluation = new HashMap<>();
        jdbc.sql("SELECT t.*, now() AS read_at FROM evaluation_task t WHERE evaluation_id IN (:ids)"
                        + " ORDER BY evaluation_id, position")
                .param("ids", ids)
                .query(this::mapTask)
                .list()
                .forEach(task -> tasksByEvaluation
                        .computeIfAbsent(task.evaluationId(), k -> new ArrayList<>())
                        .add(task));
        Map<Long, List<MetricValue>> metricsByTask = metricsOf(tasksByEvaluation.values().stream()
                .flatMap(List::stream)
                .map(TaskRow::id)
                .toList());
        return rows.stream()
                .map(row -> row.toEvaluation(tasksByEvaluation.getOrDefault(row.id(), List.of()).stream()
                        .map(task -> task.toTask(metricsByTask.getOrDefault(task.id(), List.of())))
                        .toList()))
                .toList();
    }

    private Map<Long, List<MetricValue>> metricsOf(List<Long> taskIds) {
        Map<Long, List<MetricValue>> metrics = new LinkedHashMap<>();
        if (taskIds.isEmpty()) {
            return metrics;
        }
        jdbc.sql("SELECT * FROM metric_value WHERE task_id IN (:ids) ORDER BY task_id, metric, filter")
                .param("ids", taskIds)
                .query(rs -> {
                    metrics.computeIfAbsent(rs.getLong("task_id"), k -> new ArrayList<>())
                            .add(new MetricValue(
                                    rs.getString("metric"),
                                    rs.getString("filter"),
                                    rs.getDouble("value"),
                                    nullableDouble(rs, "stderr"),
                                    nullableInt(rs, "n")));
                });
        return metrics;
    }

    private EvaluationRow mapEvaluation(ResultSet rs, int row) throws SQLException {
        String callbackUrl = rs.getString("callback_url");
        return new EvaluationRow(
                rs.getObject("id", UUID.class),
                RunState.of(rs.getString("state")),
                rs.getBoolean("cancel_requested"),
                new ModelRef(
                        rs.getString("model_name"),
                        rs.getString("model_uri"),
                        rs.getString("model_revision"),
                        rs.getString("chat_template"),
                        rs.getString("model_adapter")),
                json.read(rs.getString("model_build"), ModelBuildRecord.class),
                json.mapper().readValue(rs.getString("labels"), STRING_MAP),
                rs.getInt("priority"),
                callbackUrl == null ? null : URI.create(callbackUrl),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("lease_owner"),
                instant(rs, "lease_expires_at"),
                rs.getString("error"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getObject("submitted_by", UUID.class));
    }

    private TaskRow mapTask(ResultSet rs, int row) throws SQLException {
        String phase = rs.getString("phase");
        TaskPhase taskPhase = phase == null ? null : TaskPhase.of(phase);
        TaskProgress progress = TaskProgress.of(
                taskPhase,
                rs.getInt("done"),
                nullableInt(rs, "total"),
                instant(rs, "phase_started_at"),
                rs.getInt("phase_done_start"),
                instant(rs, "read_at"));
        return new TaskRow(
                rs.getLong("id"),
                rs.getObject("evaluation_id", UUID.class),
                rs.getString("name"),
                (ObjectNode) json.read(rs.getString("options")),
                RunState.of(rs.getString("state")),
                progress,
                json.read(rs.getString("result")),
                rs.getString("error"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private record EvaluationRow(
            UUID id,
            RunState state,
            boolean cancelRequested,
            ModelRef model,
            ModelBuildRecord modelBuild,
            Map<String, String> labels,
            int priority,
            URI callbackUrl,
            int attempt,
            int maxAttempts,
            String leaseOwner,
            Instant leaseExpiresAt,
            String error,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            UUID submittedBy) {

        Evaluation toEvaluation(List<EvaluationTask> tasks) {
            return new Evaluation(
                    id,
                    state,
                    cancelRequested,
                    model,
                    modelBuild,
                    labels,
                    priority,
                    callbackUrl,
                    attempt,
                    maxAttempts,
                    leaseOwner,
                    leaseExpiresAt,
                    error,
                    createdAt,
                    startedAt,
                    finishedAt,
                    submittedBy,
                    tasks);
        }
    }

    private record TaskRow(
            long id,
            UUID evaluationId,
            String name,
            ObjectNode options,
            RunState state,
            TaskProgress progress,
            JsonNode result,
            String error,
            Instant startedAt,
            Instant finishedAt) {

        EvaluationTask toTask(List<MetricValue> metrics) {
            return new EvaluationTask(
                    id, name, options, state, progress, result, error, startedAt, finishedAt, metrics);
        }
    }
}
