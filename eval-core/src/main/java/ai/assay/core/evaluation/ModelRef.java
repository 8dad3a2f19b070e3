package ai.assay.core.evaluation;

/**
 * The model an evaluation runs.
 *
 * @param name         the name it has on the leaderboard
 * @param uri          the model directory (an ONNX export or a Hugging Face checkpoint the worker builds), as a
 *                     normalized {@code file:} URI
 * @param revision     free text identifying the checkpoint (a git hash, a training step), or null
 * @param chatTemplate a Jinja chat template that overrides the model's own, or null
 */
public record ModelRef(String name, String uri, String revision, String chatTemplate) {}
