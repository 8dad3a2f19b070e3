package ai.assay.worker.alpacaeval;

import ai.assay.worker.outbound.SubmittedResources;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads alpaca_eval's model_outputs.json: a JSON array of {instruction, output, generator, dataset}, given inline
 * or as a {@code file:}, {@code http:} or {@code https:} URI, read through {@link SubmittedResources} (guarded,
 * bounded, never quoted). A JSON error gives its line and column only, never the offending token.
 */
@Component
class ModelOutputsReader {

    private static final String WHAT = "the model outputs";

    private final JsonMapper mapper;
    private final SubmittedResources resources;

    ModelOutputsReader(JsonMapper mapper, SubmittedResources resources) {
        this.mapper = mapper;
        this.resources = resources;
    }

    List<ProvidedOutput> read(JsonNode outputsOption) {
        JsonNode outputs = outputsOption.isString() ? fetch(URI.create(outputsOption.stringValue())) : outputsOption;
        if (!outputs.isArray()) {
            throw new IllegalArgumentException("the model outputs are not a JSON array of {instruction, output}");
        }
        List<ProvidedOutput> read = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode output = outputs.get(i);
            if (!output.path("instruction").isString() || !output.path("output").isString()) {
                throw new IllegalArgumentException(
                        "model output %d lacks a string 'instruction' or 'output'".formatted(i));
            }
            read.add(new ProvidedOutput(
                    output.get("instruction").stringValue(),
                    output.get("output").stringValue(),
                    text(output, "generator"),
                    text(output, "dataset")));
        }
        return read;
    }

    JsonNode fetch(URI uri) {
        return parse(resources.read(uri, WHAT), uri);
    }

    /**
     * Parses without echoing: Jackson's messages quote the offending token, which for a file that is not JSON is
     * its content (a password hash, a key), so the error keeps only the position and no cause.
     */
    private JsonNode parse(byte[] body, URI uri) {
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new IllegalStateException("the model outputs at %s are empty".formatted(uri));
            }
            return tree;
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String position = at == null ? "" : " (line %d, column %d)".formatted(at.getLineNr(), at.getColumnNr());
            throw new IllegalStateException("the model outputs at %s are not valid JSON%s".formatted(uri, position));
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isString() ? node.get(field).stringValue() : null;
    }
}
