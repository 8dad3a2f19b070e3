package ai.assay.core.callback;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of a completion callback: what a pipeline needs to act on the result without another request.
 * docs/callbacks.md documents it; its fields only ever grow.
 */
public record EvaluationSummary(
        String event,
        UUID id,
        RunState state,
        ModelRef model,
        Map<String, String> labels,
        String error,
        int attempt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        List<TaskSummary> tasks) {

    public record TaskSummary(String name, RunState state, String error, List<MetricValue> metrics) {}

    public static EvaluationSummary of(Evaluation evaluation) {
        return new EvaluationSummary(
                eventOf(evaluation.state()),
                evaluation.id(),
                evaluation.state(),
                evaluation.model(),
                evaluation.labels(),
                evaluation.error(),
                evaluation.attempt(),
                evaluation.createdAt(),
                evaluation.startedAt(),
                evaluation.finishedAt(),
                evaluation.tasks().stream()
                        .map(t -> new TaskSummary(t.name(), t.state(), t.error(), t.metrics()))
                        .toList());
    }

    public static String eventOf(RunState state) {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException(
                    "only an ended evaluation has a callback, not a " + state.value() + " one");
        }
        return "evaluation." + state.value();
    }
}
