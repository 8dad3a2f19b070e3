package ai.assay.worker.engine.prompt;

import java.nio.file.Path;

/** Reads the text side of a model directory (tokenizer.json, tokenizer_config.json, generation_config.json). */
@FunctionalInterface
public interface ModelTextLoader {

    /**
     * @throws ai.assay.worker.engine.ModelLoadException naming a missing or unreadable file
     */
    ModelText load(Path directory, String chatTemplateOverride);
}
