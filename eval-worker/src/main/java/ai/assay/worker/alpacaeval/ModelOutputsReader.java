package ai.assay.worker.alpacaeval;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads alpaca_eval's model_outputs.json: a JSON array of {instruction, output, generator, dataset}, given inline
 * or as a {@code file:}, {@code http:} or {@code https:} URI (the API checked the form).
 */
@Component
class ModelOutputsReader {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final JsonMapper mapper;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    ModelOutputsReader(JsonMapper mapper) {
        this.mapper = mapper;
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
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        try {
            if (scheme.equals("file")) {
                return mapper.readTree(Files.readString(Path.of(uri)));
            }
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "fetching the model outputs from %s answered HTTP %d".formatted(uri, response.statusCode()));
            }
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot read the model outputs at %s: %s".formatted(uri, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isString() ? node.get(field).stringValue() : null;
    }
}
