package ai.assay.worker.engine.prompt;

import ai.assay.worker.engine.ModelLoadException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What transformers reads from {@code tokenizer_config.json}, with {@code special_tokens_map.json} laid over it
 * (as {@code from_pretrained} does: the map's entries win).
 *
 * @param specialTokens             the special token strings by attribute ("bos_token", "eos_token", "unk_token",
 *                                  "sep_token", "pad_token", "cls_token", "mask_token"), only those that are set
 * @param additionalSpecialTokens   {@code additional_special_tokens}, in file order
 * @param addBosToken               {@code add_bos_token}, or null when the file does not say
 * @param addEosToken               {@code add_eos_token}, or null when the file does not say
 * @param modelMaxLength            {@code model_max_length}, or null when absent or transformers' "unlimited"
 *                                  sentinel ({@code int(1e30)})
 * @param chatTemplate              the chat template: the string form, or the template named "default" of the list
 *                                  form; null when there is none
 * @param namedChatTemplates        every template of the list form by name (empty for the string form)
 * @param cleanUpTokenizationSpaces {@code clean_up_tokenization_spaces} (transformers' default, false, when absent)
 * @param tokenizerClass            {@code tokenizer_class}, e.g. "LlamaTokenizer", or null
 */
public record TokenizerConfig(
        Map<String, String> specialTokens,
        List<String> additionalSpecialTokens,
        Boolean addBosToken,
        Boolean addEosToken,
        Long modelMaxLength,
        String chatTemplate,
        Map<String, String> namedChatTemplates,
        boolean cleanUpTokenizationSpaces,
        String tokenizerClass) {

    public static final String FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP_FILE = "special_tokens_map.json";

    /** The attributes transformers' SpecialTokensMixin knows, in its order. */
    static final List<String> SPECIAL_TOKEN_ATTRIBUTES =
            List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token");

    /** Anything at or above this is transformers' "no limit" (it writes int(1e30)). */
    private static final BigDecimal UNLIMITED_THRESHOLD = new BigDecimal("1e18");

    public TokenizerConfig {
        specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
        additionalSpecialTokens = List.copyOf(additionalSpecialTokens);
        namedChatTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(namedChatTemplates));
    }

    /** A configuration with nothing set, as for a directory without tokenizer_config.json. */
    public static TokenizerConfig empty() {
        return new TokenizerConfig(Map.of(), List.of(), null, null, null, null, Map.of(), false, null);
    }

    /**
     * Reads {@code tokenizer_config.json} and {@code special_tokens_map.json} from a model directory; either may be
     * missing.
     *
     * @throws ModelLoadException when a file is not valid JSON or a field has the wrong type
     */
    public static TokenizerConfig load(Path modelDirectory) {
        Path configFile = modelDirectory.resolve(FILE);
        JsonNode config = ModelJson.readOptional(configFile);
        Path mapFile = modelDirectory.resolve(SPECIAL_TOKENS_MAP_FILE);
        JsonNode map = ModelJson.readOptional(mapFile);
        return from(config, configFile.toString(), map, mapFile.toString());
    }

    static TokenizerConfig from(JsonNode config, String configSource, JsonNode map, String mapSource) {
        if (config != null) {
            ModelJson.requireObject(config, configSource);
        }
        if (map != null) {
            ModelJson.requireObject(map, mapSource);
        }

        Map<String, String> specialTokens = new LinkedHashMap<>();
        for (String attribute : SPECIAL_TOKEN_ATTRIBUTES) {
            String value =
                    map != null && map.has(attribute) ? tokenContent(map.get(attribute), attribute, mapSource) : null;
            if (value == null && config != null) {
                value = tokenContent(config.get(attribute), attribute, configSource);
            }
            if (value != null) {
                specialTokens.put(attribute, value);
            }
        }
        List<String> additional = map != null && map.has("additional_special_tokens")
                ? tokenList(map.get("additional_special_tokens"), mapSource)
                : config != null ? tokenList(config.get("additional_special_tokens"), configSource) : List.of();

        if (config == null) {
            return new TokenizerConfig(specialTokens, additional, null, null, null, null, Map.of(), false, null);
        }
        Boolean addBos = ModelJson.optionalBoolean(config, "add_bos_token", configSource);
        Boolean addEos = ModelJson.optionalBoolean(config, "add_eos_token", configSource);
        Boolean cleanUp = ModelJson.optionalBoolean(config, "clean_up_tokenization_spaces", configSource);
        String tokenizerClass = ModelJson.optionalString(config, "tokenizer_class", configSource);
        Long maxLength = modelMaxLength(config.get("model_max_length"), configSource);

        Map<String, String> named = new LinkedHashMap<>();
        String chatTemplate = null;
        JsonNode template = config.get("chat_template");
        if (template != null && !template.isNull()) {
            if (template.isString()) {
                chatTemplate = template.stringValue();
            } else if (template.isArray()) {
                for (JsonNode entry : template) {
                    String name = entry.isObject() ? ModelJson.optionalString(entry, "name", configSource) : null;
                    String body = entry.isObject() ? ModelJson.optionalString(entry, "template", configSource) : null;
                    if (name == null || body == null) {
                        throw new ModelLoadException("Malformed " + configSource
                                + ": each entry of \"chat_template\" needs a \"name\" and a \"template\" string");
                    }
                    named.put(name, body);
                }
                chatTemplate = named.get("default");
            } else {
                throw new ModelLoadException("Malformed " + configSource
                        + ": \"chat_template\" must be a string or a list of {name, template}, found "
                        + template.getNodeType());
            }
        }
        return new TokenizerConfig(
                specialTokens,
                additional,
                addBos,
                addEos,
                maxLength,
                chatTemplate,
                named,
                cleanUp != null && cleanUp,
                tokenizerClass);
    }

    public String bosToken() {
        return specialTokens.get("bos_token");
    }

    public String eosToken() {
        return specialTokens.get("eos_token");
    }

    public String padToken() {
        return specialTokens.get("pad_token");
    }

    public String unkToken() {
        return specialTokens.get("unk_token");
    }

    /** This configuration with another chat template (e.g. one read from {@code chat_template.jinja}). */
    public TokenizerConfig withChatTemplate(String template) {
        return new TokenizerConfig(
                specialTokens,
                additionalSpecialTokens,
                addBosToken,
                addEosToken,
                modelMaxLength,
                template,
                namedChatTemplates,
                cleanUpTokenizationSpaces,
                tokenizerClass);
    }

    /** A special token is a plain string or a serialized AddedToken, {"content": ..., "lstrip": ...}. */
    private static String tokenContent(JsonNode value, String attribute, String source) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isObject()) {
            JsonNode content = value.get("content");
            if (content != null && content.isString()) {
                return content.stringValue();
            }
        }
        throw new ModelLoadException("Malformed " + source + ": \"" + attribute
                + "\" must be a string or an object with a \"content\" string, found " + value);
    }

    private static List<String> tokenList(JsonNode value, String source) {
        List<String> tokens = new ArrayList<>();
        if (value == null || value.isNull()) {
            return tokens;
        }
        if (!value.isArray()) {
            throw new ModelLoadException("Malformed " + source + ": \"additional_special_tokens\" must be a list");
        }
        for (JsonNode element : value) {
            tokens.add(tokenContent(element, "additional_special_tokens", source));
        }
        return tokens;
    }

    private static Long modelMaxLength(JsonNode value, String source) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new ModelLoadException(
                    "Malformed " + source + ": \"model_max_length\" must be a number, found " + value);
        }
        BigDecimal length = value.decimalValue();
        if (length.compareTo(UNLIMITED_THRESHOLD) >= 0) {
            return null;
        }
        if (length.signum() <= 0 || length.stripTrailingZeros().scale() > 0) {
            throw new ModelLoadException(
                    "Malformed " + source + ": \"model_max_length\" must be a positive whole number, found " + value);
        }
        return length.longValueExact();
    }
}
