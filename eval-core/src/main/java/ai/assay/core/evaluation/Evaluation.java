package ai.assay.core.evaluation;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * An evaluation as stored: the job and its tasks.
 *
 * @param modelBuild  what a worker built from the model's checkpoint directory to run it, or null (an ONNX export,
 *                    or not loaded yet); the latest attempt's build
 * @param submittedBy the id of the API token that submitted it, or null when no token did
 */
public record Evaluation(
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
        UUID submittedBy,
        List<EvaluationTask> tasks) {

    public Evaluation {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        tasks = List.copyOf(tasks);
    }
}
