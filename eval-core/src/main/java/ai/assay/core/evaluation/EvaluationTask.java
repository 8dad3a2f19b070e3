package ai.assay.core.evaluation;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One task of an evaluation as stored.
 *
 * @param options the task's options with every default filled in
 * @param result  what the task reports beyond its metrics (e.g. outputs it could not match), or null
 */
public record EvaluationTask(
        long id,
        String name,
        ObjectNode options,
        RunState state,
        TaskProgress progress,
        JsonNode result,
        String error,
        Instant startedAt,
        Instant finishedAt,
        List<MetricValue> metrics) {

    public EvaluationTask {
        metrics = List.copyOf(metrics);
    }
}
