package ai.assay.worker.engine;

import java.nio.file.Path;
import java.util.Optional;

/** Loads a model directory (an ONNX export with its tokenizer and configs). */
public interface ModelLoader {

    /**
     * @param chatTemplateOverride a Jinja chat template to use instead of the model's own, or null
     * @param placement            the device the engine runs on (a job's {@link DeviceSlots} lease)
     * @throws ModelLoadException when a file is missing, the layout is unknown or the model does not fit
     */
    LanguageModel load(Path directory, String chatTemplateOverride, Placement placement);

    /**
     * Loads {@code directory} with a PEFT LoRA adapter merged into its weights, or without one when
     * {@code adapterDirectory} is empty. A loader that cannot merge adapters refuses one.
     *
     * @throws ModelLoadException also when an adapter is given and cannot be merged into this model
     */
    default LanguageModel load(
            Path directory, Optional<Path> adapterDirectory, String chatTemplateOverride, Placement placement) {
        if (adapterDirectory.isPresent()) {
            throw new ModelLoadException("this worker's model loader does not merge LoRA adapters (model.adapter)");
        }
        return load(directory, chatTemplateOverride, placement);
    }
}
