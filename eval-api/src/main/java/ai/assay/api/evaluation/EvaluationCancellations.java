package ai.assay.api.evaluation;

import ai.assay.core.evaluation.CancelOutcome;
import ai.assay.core.evaluation.EvaluationEndings;
import ai.assay.core.evaluation.EvaluationRepository;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancels evaluations. A queued one ends here, so its completion callback is scheduled in the same transaction;
 * a running one is ended by its worker, which schedules the callback then.
 */
@Service
class EvaluationCancellations {

    private final EvaluationRepository evaluations;
    private final EvaluationEndings endings;

    EvaluationCancellations(EvaluationRepository evaluations, EvaluationEndings endings) {
        this.evaluations = evaluations;
        this.endings = endings;
    }

    @Transactional
    Optional<CancelOutcome> cancel(UUID id) {
        Optional<CancelOutcome> outcome = evaluations.cancel(id);
        if (outcome.isPresent() && outcome.get() == CancelOutcome.CANCELLED) {
            endings.ended(id);
        }
        return outcome;
    }
}
