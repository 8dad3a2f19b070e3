package ai.assay.worker.engine.prompt;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON files of a model directory; every failure names the file. */
final class ModelJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ModelJson() {}

    /** The parsed file, or null when it does not exist. */
    static JsonNode readOptional(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        return read(file);
    }

    static JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static JsonNode parse(String text, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new ModelLoadException("Malformed JSON in " + source + ": " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new ModelLoadException("Malformed JSON in " + source + ": the file is empty");
        }
        return node;
    }

    static JsonNode requireObject(JsonNode node, String source) {
        if (!node.isObject()) {
            throw new ModelLoadException(
                    "Malformed " + source + ": expected a JSON object at the top level, found " + node.getNodeType());
        }
        return node;
    }

    /** An integer field, or null when absent or null. */
    static Integer optionalInt(JsonNode object, String field, String source) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ModelLoadException(
                    "Malformed " + source + ": \"" + field + "\" must be an integer, found " + value);
        }
        return value.intValue();
    }

    /** An integer or a list of integers (generation_config's eos_token_id), or an empty list when absent. */
    static List<Integer> intOrIntList(JsonNode object, String field, String source) {
        JsonNode value = object.get(field);
        List<Integer> ids = new ArrayList<>();
        if (value == null || value.isNull()) {
            return ids;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                    throw new ModelLoadException("Malformed " + source + ": \"" + field
                            + "\" must be an integer or a list of integers, found " + value);
                }
                ids.add(element.intValue());
            }
            return ids;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new ModelLoadException("Malformed " + source + ": \"" + field
                    + "\" must be an integer or a list of integers, found " + value);
        }
        ids.add(value.intValue());
        return ids;
    }

    static Boolean optionalBoolean(JsonNode object, String field, String source) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new ModelLoadException(
                    "Malformed " + source + ": \"" + field + "\" must be true or false, found " + value);
        }
        return value.booleanValue();
    }

    static String optionalString(JsonNode object, String field, String source) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new ModelLoadException(
                    "Malformed " + source + ": \"" + field + "\" must be a string, found " + value.getNodeType());
        }
        return value.stringValue();
    }
}
