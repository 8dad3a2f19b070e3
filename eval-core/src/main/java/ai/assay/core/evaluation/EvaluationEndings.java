package ai.assay.core.evaluation;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Calls every {@link EvaluationEndListener} for an evaluation that just ended. Whoever ends an evaluation (the
 * worker, the reaper, the API's cancel, an import) calls {@link #ended} in the same transaction.
 */
@Component
public class EvaluationEndings {

    private final List<EvaluationEndListener> listeners;

    public EvaluationEndings(List<EvaluationEndListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public void ended(UUID evaluationId) {
        listeners.forEach(listener -> listener.evaluationEnded(evaluationId));
    }
}
