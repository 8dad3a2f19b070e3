package ai.assay.api.evaluation;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The body of {@code POST /evaluations}. */
@Schema(description = "An evaluation to run: one model, one or more tasks")
record CreateEvaluationRequest(
        @NotNull @Valid ModelRequest model,

        @Schema(
                description = "The tasks to run, each an object with a 'name' and the task's options (GET /tasks)",
                example = "[{\"name\":\"alpaca_eval\",\"limit\":805},{\"name\":\"arc_easy\",\"numFewshot\":0}]")
        @NotEmpty
        @Size(max = 64)
        List<JsonNode> tasks,

        @Schema(
                description = "Free-form string labels such as run and step; keys match"
                        + " [A-Za-z0-9][A-Za-z0-9._/-]{0,62}, values have at most 256 characters",
                example = "{\"run\":\"dpo-llama3-8b\",\"step\":\"12000\"}")
        Map<String, String> labels,

        @Schema(description = "Higher runs first; default 0", minimum = "-1000", maximum = "1000")
        @Min(-1000)
        @Max(1000)
        Integer priority,

        @Schema(description = "An http(s) URL that receives the evaluation's summary when it ends") @Size(max = 2048)
        String callbackUrl) {

    @Schema(description = "The model to evaluate")
    record ModelRequest(
            @Schema(description = "The name it has on the leaderboard", example = "llama3-8b-dpo-step12000")
            @NotNull
            @Size(min = 1, max = 200)
            String name,

            @Schema(
                    description = "The ONNX model directory: a file: URI or an absolute path; may be left out when"
                            + " every task scores responses made elsewhere (the option outputs)",
                    example = "file:///models/llama3-8b-dpo/step-12000")
            @Size(min = 1, max = 4096)
            String uri,

            @Schema(description = "Free text identifying the checkpoint, such as a commit or a step") @Size(max = 200)
            String revision,

            @Schema(description = "A Jinja chat template to use instead of the model's own") @Size(max = 65536)
            String chatTemplate,

            @Schema(
                    description = "A PEFT LoRA adapter directory (adapter_config.json, adapter_model.safetensors):"
                            + " a file: URI or an absolute path, merged into the Hugging Face checkpoint at uri when"
                            + " the worker builds it; refused with an ONNX export",
                    example = "file:///models/llama3-8b-lora/step-500")
            @Size(min = 1, max = 4096)
            String adapter) {}
}
