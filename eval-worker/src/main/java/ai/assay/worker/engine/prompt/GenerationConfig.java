package ai.assay.worker.engine.prompt;

import ai.assay.worker.engine.ModelLoadException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The token ids and length limit of {@code generation_config.json}.
 *
 * @param eosTokenIds {@code eos_token_id}, which may be one id or a list (Llama-3.1 lists three); empty when unset
 * @param bosTokenId  {@code bos_token_id}, or null
 * @param padTokenId  {@code pad_token_id}, or null
 * @param maxLength   {@code max_length}, or null when the file does not set it
 * @param source      the file the values came from, or null when there was none
 */
public record GenerationConfig(
        List<Integer> eosTokenIds, Integer bosTokenId, Integer padTokenId, Integer maxLength, String source) {

    public static final String FILE = "generation_config.json";

    /** transformers builds the generation config from config.json when generation_config.json is missing. */
    public static final String MODEL_CONFIG_FILE = "config.json";

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    public static GenerationConfig empty() {
        return new GenerationConfig(List.of(), null, null, null, null);
    }

    /**
     * Reads {@code generation_config.json}; without it, the token ids of {@code config.json} (never its
     * {@code max_length}, which transformers defaults to 20 there); with neither, an empty configuration.
     *
     * @throws ModelLoadException when the file is not valid JSON or a field has the wrong type
     */
    public static GenerationConfig load(Path modelDirectory) {
        Path file = modelDirectory.resolve(FILE);
        JsonNode node = ModelJson.readOptional(file);
        if (node != null) {
            return from(node, file.toString(), true);
        }
        Path modelConfig = modelDirectory.resolve(MODEL_CONFIG_FILE);
        JsonNode config = ModelJson.readOptional(modelConfig);
        return config == null ? empty() : from(config, modelConfig.toString(), false);
    }

    static GenerationConfig from(JsonNode node, String source, boolean withMaxLength) {
        ModelJson.requireObject(node, source);
        return new GenerationConfig(
                ModelJson.intOrIntList(node, "eos_token_id", source),
                ModelJson.optionalInt(node, "bos_token_id", source),
                ModelJson.optionalInt(node, "pad_token_id", source),
                withMaxLength ? ModelJson.optionalInt(node, "max_length", source) : null,
                source);
    }
}
