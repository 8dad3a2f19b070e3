package ai.assay.core.evaluation;

import ai.assay.core.task.ResolvedTask;
import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A validated submission, ready to be stored.
 *
 * @param spec the request body as submitted, stored for audits and re-runs
 */
public record NewEvaluation(
        ModelRef model,
        List<ResolvedTask> tasks,
        Map<String, String> labels,
        int priority,
        URI callbackUrl,
        int maxAttempts,
        JsonNode spec) {

    public NewEvaluation {
        tasks = List.copyOf(tasks);
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
