package ai.assay.core.evaluation;

/**
 * The model an evaluation runs.
 *
 * @param name         the name it has on the leaderboard
 * @param uri          the ONNX model directory, as a normalized {@code file:} URI
 * @param revision     free text identifying the checkpoint (a git hash, a training step), or null
 * @param chatTemplate a Jinja chat template that overrides the model's own, or null
 */
public record ModelRef(String name, String uri, String revision, String chatTemplate) {}
