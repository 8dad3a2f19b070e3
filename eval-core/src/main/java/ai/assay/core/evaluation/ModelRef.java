package ai.assay.core.evaluation;

/**
 * The model an evaluation runs.
 *
 * @param name         the name it has on the leaderboard
 * @param uri          the model directory (an ONNX export or a Hugging Face checkpoint the worker builds), as a
 *                     normalized {@code file:} URI
 * @param revision     free text identifying the checkpoint (a git hash, a training step), or null
 * @param chatTemplate a Jinja chat template that overrides the model's own, or null
 * @param adapter      a PEFT LoRA adapter directory merged into the checkpoint at {@code uri} when the worker builds
 *                     it, as a normalized {@code file:} URI, or null for the model as it is
 */
public record ModelRef(String name, String uri, String revision, String chatTemplate, String adapter) {

    /** A model run as it is, with no adapter. */
    public ModelRef(String name, String uri, String revision, String chatTemplate) {
        this(name, uri, revision, chatTemplate, null);
    }

    /** This model with the adapter at {@code adapterUri} (a normalized {@code file:} URI, or null for none). */
    public ModelRef withAdapter(String adapterUri) {
        return new ModelRef(name, uri, revision, chatTemplate, adapterUri);
    }
}
