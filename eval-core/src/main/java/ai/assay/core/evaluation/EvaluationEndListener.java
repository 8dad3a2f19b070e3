package ai.assay.core.evaluation;

import java.util.UUID;

/**
 * Told, inside the transaction that ends an evaluation (succeeded, failed or cancelled), that it ended. Beans of
 * this type keep derived data in step with the end: the callback outbox, leaderboard aggregates. A listener that
 * throws rolls the ending back, so it must only write what belongs to the same transaction.
 */
public interface EvaluationEndListener {

    void evaluationEnded(UUID evaluationId);
}
