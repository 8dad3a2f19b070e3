package ai.assay.worker.engine.decoding;

import ai.assay.worker.engine.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ONNX side of a model directory: which file holds the decoder (genai_config.json's
 * {@code model.decoder.filename}, else model.onnx), how many bytes its weights take (the file plus external data
 * next to it), and the longest sequence the model takes (genai_config.json {@code model.context_length}, else
 * config.json {@code max_position_embeddings} / {@code n_positions} / {@code max_sequence_length}).
 */
record ModelDirectory(Path directory, Path modelFile, List<Path> weightFiles, long weightBytes, Integer maxLength) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static ModelDirectory open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ModelLoadException("model directory " + directory + " does not exist");
        }
        JsonNode genai = readJson(directory.resolve("genai_config.json"));
        JsonNode decoderFile =
                genai == null ? null : genai.path("model").path("decoder").path("filename");
        String fileName = decoderFile != null && decoderFile.isString() ? decoderFile.asString() : "model.onnx";
        Path modelFile = directory.resolve(fileName);
        if (!Files.isRegularFile(modelFile)) {
            if (Files.exists(directory.resolve("decoder_model_merged.onnx"))) {
                throw new ModelLoadException(directory + " holds a legacy Optimum export (decoder_model_merged.onnx):"
                        + " export it again without --legacy to get model.onnx");
            }
            if (Files.exists(directory.resolve("model.safetensors"))
                    || Files.exists(directory.resolve("model.safetensors.index.json"))) {
                throw new ModelLoadException("model directory " + directory + " holds safetensors weights but no "
                        + "config.json, so it is not a checkpoint the worker can build, and no " + fileName
                        + " to load: copy the checkpoint's config.json next to the weights");
            }
            throw new ModelLoadException("model directory " + directory + " has no " + fileName);
        }
        List<Path> weights = new ArrayList<>();
        weights.add(modelFile);
        long bytes;
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> isExternalData(file.getFileName().toString(), fileName))
                    .sorted()
                    .forEach(weights::add);
            bytes = 0;
            for (Path file : weights) {
                bytes += Files.size(file);
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read model directory " + directory + ": " + e.getMessage(), e);
        }
        Integer maxLength = null;
        if (genai != null) {
            maxLength = positive(genai.path("model").path("context_length"));
        }
        if (maxLength == null) {
            JsonNode config = readJson(directory.resolve("config.json"));
            if (config != null) {
                JsonNode text = config.path("text_config").isObject() ? config.path("text_config") : config;
                for (String key : new String[] {"max_position_embeddings", "n_positions", "max_sequence_length"}) {
                    if (maxLength == null) {
                        maxLength = positive(text.path(key));
                    }
                }
            }
        }
        return new ModelDirectory(directory, modelFile, List.copyOf(weights), bytes, maxLength);
    }

    /** "model.onnx.data", "model.onnx_data", "model.data" and other data files exported next to the graph. */
    private static boolean isExternalData(String name, String modelFileName) {
        String stem = modelFileName.endsWith(".onnx")
                ? modelFileName.substring(0, modelFileName.length() - 5)
                : modelFileName;
        return !name.equals(modelFileName)
                && (name.startsWith(modelFileName)
                        || name.equals(stem + ".data")
                        || name.endsWith(".onnx.data")
                        || name.endsWith(".onnx_data"));
    }

    String weightFileNames() {
        return String.join(
                " + ",
                weightFiles.stream().map(file -> file.getFileName().toString()).toList());
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (RuntimeException e) {
            throw new ModelLoadException(
                    file.getFileName() + " in " + file.getParent() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Integer positive(JsonNode node) {
        return node.isIntegralNumber() && node.asLong() > 0 && node.asLong() < Integer.MAX_VALUE
                ? (int) node.asLong()
                : null;
    }
}
