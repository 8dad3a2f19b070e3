package ai.assay.core.callback;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationEndListener;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.json.JsonColumns;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of completion callbacks. {@link #enqueue} runs inside the transaction that ends the evaluation;
 * dispatchers take due deliveries with {@link #takeDue} and record how each attempt went.
 */
@Repository
public class CallbackOutbox implements EvaluationEndListener {

    private final JdbcClient jdbc;
    private final EvaluationRepository evaluations;
    private final JsonColumns json;

    public CallbackOutbox(JdbcClient jdbc, EvaluationRepository evaluations, JsonColumns json) {
        this.jdbc = jdbc;
        this.evaluations = evaluations;
        this.json = json;
    }

    /**
     * Schedules the callback of an ended evaluation, if it has a callback URL. Call it in the transaction that
     * ends the evaluation; a second call for the same evaluation does nothing.
     */
    @Override
    public void evaluationEnded(UUID evaluationId) {
        enqueue(evaluationId);
    }

    public void enqueue(UUID evaluationId) {
        Evaluation evaluation = evaluations.findById(evaluationId).orElseThrow();
        if (evaluation.callbackUrl() == null) {
            return;
        }
        EvaluationSummary summary = EvaluationSummary.of(evaluation);
        jdbc.sql("""
                INSERT INTO callback_delivery (evaluation_id, url, event, payload)
                VALUES (:id, :url, :event, CAST(:payload AS jsonb))
                ON CONFLICT (evaluation_id) DO NOTHING
                """)
                .param("id", evaluationId)
                .param("url", evaluation.callbackUrl().toString())
                .param("event", summary.event())
                .param("payload", json.write(summary))
                .update();
    }

    /**
     * Takes up to {@code limit} due deliveries for this dispatcher: each is hidden from other dispatchers for
     * {@code hold}, long enough for one attempt.
     */
    public List<CallbackDelivery> takeDue(int limit, Duration hold) {
        return jdbc.sql("""
                UPDATE callback_delivery
                   SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => :holdSeconds)
                 WHERE id IN (SELECT id FROM callback_delivery
                               WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= now()
                               ORDER BY next_attempt_at
                               LIMIT :limit
                                 FOR UPDATE SKIP LOCKED)
                RETURNING id, evaluation_id, url, event, payload::text AS payload, attempts
                """)
                .param("holdSeconds", hold.toMillis() / 1000.0)
                .param("limit", limit)
                .query((rs, row) -> new CallbackDelivery(
                        rs.getLong("id"),
                        rs.getObject("evaluation_id", UUID.class),
                        rs.getString("url"),
                        rs.getString("event"),
                        rs.getString("payload"),
                        rs.getInt("attempts")))
                .list();
    }

    public void delivered(long id, int status) {
        jdbc.sql(
                        "UPDATE callback_delivery SET delivered_at = now(), last_status = :status, last_error = NULL WHERE id = :id")
                .param("status", status)
                .param("id", id)
                .update();
    }

    /** Records a failed attempt; {@code retryAt} null means give up. */
    public void failed(long id, Integer status, String error, Instant retryAt) {
        jdbc.sql("""
                UPDATE callback_delivery
                   SET last_status = :status, last_error = :error,
                       next_attempt_at = coalesce(CAST(:retryAt AS timestamptz), next_attempt_at),
                       abandoned_at = CASE WHEN CAST(:retryAt AS timestamptz) IS NULL THEN now() END
                 WHERE id = :id
                """)
                .param("status", status)
                .param("error", error)
                .param("retryAt", retryAt == null ? null : retryAt.atOffset(ZoneOffset.UTC))
                .param("id", id)
                .update();
    }
}
