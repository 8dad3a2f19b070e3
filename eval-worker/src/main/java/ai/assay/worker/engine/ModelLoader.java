package ai.assay.worker.engine;

import java.nio.file.Path;

/** Loads a model directory (an ONNX export with its tokenizer and configs). */
public interface ModelLoader {

    /**
     * @param chatTemplateOverride a Jinja chat template to use instead of the model's own, or null
     * @param placement            the device the engine runs on (a job's {@link DeviceSlots} lease)
     * @throws ModelLoadException when a file is missing, the layout is unknown or the model does not fit
     */
    LanguageModel load(Path directory, String chatTemplateOverride, Placement placement);
}
