package ai.assay.api.evaluation;

import ai.assay.api.problem.ProblemException;
import ai.assay.api.problem.ProblemKind;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.evaluation.StoredSubmission;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Stores submitted evaluations, honouring Idempotency-Key: the same key with the same body gives back the first
 * evaluation; with another body it is a conflict. The unique index on the key decides between concurrent
 * requests, so one key never creates two evaluations.
 */
@Service
class EvaluationSubmissions {

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final EvaluationRepository evaluations;
    private final Counter created;
    private final Counter replayed;

    EvaluationSubmissions(EvaluationRepository evaluations, MeterRegistry metrics) {
        this.evaluations = evaluations;
        this.created = metrics.counter("assay.evaluations.submitted", "outcome", "created");
        this.replayed = metrics.counter("assay.evaluations.submitted", "outcome", "replayed");
    }

    /** The outcome of a submission: the evaluation, and whether this request created it. */
    record Submission(UUID evaluationId, boolean created) {}

    Submission submit(NewEvaluation evaluation, UUID submittedBy, String idempotencyKey, String requestHash) {
        if (idempotencyKey == null) {
            UUID id = evaluations.insert(evaluation, submittedBy, null, null).orElseThrow();
            created.increment();
            return new Submission(id, true);
        }
        if (!VALID_KEY.matcher(idempotencyKey).matches()) {
            throw new ProblemException(
                    ProblemKind.INVALID_IDEMPOTENCY_KEY,
                    "the Idempotency-Key header must have 1 to 255 printable ASCII characters");
        }
        Optional<StoredSubmission> earlier = evaluations.findByIdempotencyKey(idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), requestHash);
        }
        Optional<UUID> id = evaluations.insert(evaluation, submittedBy, idempotencyKey, requestHash);
        if (id.isPresent()) {
            created.increment();
            return new Submission(id.get(), true);
        }
        // A concurrent request with the same key committed first.
        return replay(evaluations.findByIdempotencyKey(idempotencyKey).orElseThrow(), requestHash);
    }

    private Submission replay(StoredSubmission earlier, String requestHash) {
        if (!earlier.requestHash().equals(requestHash)) {
            throw new ProblemException(
                    ProblemKind.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a request with a different body",
                    Map.of("evaluationId", earlier.evaluationId()));
        }
        replayed.increment();
        return new Submission(earlier.evaluationId(), false);
    }
}
