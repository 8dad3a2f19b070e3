package ai.assay.api.evaluation;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationTask;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.ModelBuildRecord;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.evaluation.TaskProgress;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** An evaluation as the API shows it. */
@Schema(name = "Evaluation")
public record EvaluationView(
        UUID id,
        RunState state,

        @Schema(description = "True once a cancel was asked for; a running evaluation stops within seconds")
        boolean cancelRequested,

        ModelView model,
        Map<String, String> labels,
        int priority,
        URI callbackUrl,

        @Schema(description = "How many times a worker has started this evaluation")
        int attempt,

        int maxAttempts,

        @Schema(description = "The worker that holds the evaluation while it runs")
        String worker,

        Instant leaseExpiresAt,

        @Schema(description = "Why the evaluation failed or was cancelled")
        String error,

        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,

        @Schema(description = "The id of the API token that submitted it (GET /admin/tokens names it)")
        UUID submittedBy,

        List<TaskView> tasks) {

    /**
     * The model as submitted, and what a worker built from its checkpoint directory to run it: the submission's
     * fields stay where they were, the build joins them.
     */
    @Schema(name = "EvaluationModel")
    public record ModelView(
            String name,
            String uri,
            String revision,
            String chatTemplate,

            @Schema(
                    description = "The PEFT LoRA adapter merged into the checkpoint, as a normalized file: URI;"
                            + " null for none",
                    nullable = true)
            String adapter,

            @Schema(
                    description = "What a worker built from the Hugging Face checkpoint directory to run the model:"
                            + " the builder's version, the cache key, whether a cached build was reused, the dtype,"
                            + " the graph's operators, and the checkpoint's files with sizes and SHA-256 (then the adapter's, named"
                            + " adapter/...); null for an"
                            + " ONNX export or before a worker loaded the model. A resumed evaluation shows the"
                            + " latest attempt's build",
                    nullable = true)
            ModelBuildRecord build) {

        static ModelView of(ModelRef model, ModelBuildRecord build) {
            return new ModelView(
                    model.name(), model.uri(), model.revision(), model.chatTemplate(), model.adapter(), build);
        }
    }

    @Schema(name = "EvaluationTask")
    public record TaskView(
            String name,
            RunState state,

            @Schema(description = "The task's options with every default filled in")
            JsonNode options,

            TaskProgress progress,
            String error,

            @Schema(description = "What the task reports beyond its metrics, such as unmatched outputs")
            JsonNode result,

            Instant startedAt,
            Instant finishedAt,
            List<MetricValue> metrics) {

        static TaskView of(EvaluationTask task) {
            return new TaskView(
                    task.name(),
                    task.state(),
                    task.options(),
                    task.progress(),
                    task.error(),
                    task.result(),
                    task.startedAt(),
                    task.finishedAt(),
                    task.metrics());
        }
    }

    public static EvaluationView of(Evaluation evaluation) {
        return new EvaluationView(
                evaluation.id(),
                evaluation.state(),
                evaluation.cancelRequested(),
                ModelView.of(evaluation.model(), evaluation.modelBuild()),
                evaluation.labels(),
                evaluation.priority(),
                evaluation.callbackUrl(),
                evaluation.attempt(),
                evaluation.maxAttempts(),
                evaluation.leaseOwner(),
                evaluation.leaseExpiresAt(),
                evaluation.error(),
                evaluation.createdAt(),
                evaluation.startedAt(),
                evaluation.finishedAt(),
                evaluation.submittedBy(),
                evaluation.tasks().stream().map(TaskView::of).toList());
    }
}
