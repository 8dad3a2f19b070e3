package ai.assay.core.evaluation;

import java.util.UUID;

/** The evaluation an idempotency key was first used for, and the hash of that request. */
public record StoredSubmission(UUID evaluationId, String requestHash) {}
