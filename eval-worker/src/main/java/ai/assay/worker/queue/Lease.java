package ai.assay.worker.queue;

import java.util.UUID;

/**
 * A worker's hold on a running job. Every write for the job names the whole lease, so a worker whose lease was
 * taken over (expired and requeued, or failed by the reaper) can no longer write: the owner or the attempt no
 * longer match.
 */
public record Lease(UUID evaluationId, String owner, int attempt) {}
