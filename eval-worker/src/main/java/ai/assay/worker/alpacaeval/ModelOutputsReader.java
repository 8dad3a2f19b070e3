package ai.assay.worker.alpacaeval;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.outbound.OutboundRefusedException;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads alpaca_eval's model_outputs.json: a JSON array of {instruction, output, generator, dataset}, given inline
 * or as a {@code file:}, {@code http:} or {@code https:} URI (the API checked the form, the guard and the roots).
 *
 * <p>What a URI names is the submitter's, not the operator's, so it is read defensively: every http address is put
 * to the {@link OutboundGuard} again right before the worker connects (the name may resolve elsewhere than at
 * submission), redirects are followed by hand, at most {@value #MAX_REDIRECTS}, each target checked; files are
 * opened only under the {@link FileRoots}; a body or file is read up to {@code assay.outbound.max-body-size}; and
 * no error message quotes what was read (a JSON error gives its line and column only), since task errors are shown
 * to anyone who can read the evaluation.
 */
@Component
class ModelOutputsReader {

    static final int MAX_REDIRECTS = 5;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final JsonMapper mapper;
    private final OutboundGuard guard;
    private final FileRoots roots;
    private final long maxBytes;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    ModelOutputsReader(JsonMapper mapper, OutboundGuard guard, FileRoots roots, OutboundProperties properties) {
        this.mapper = mapper;
        this.guard = guard;
        this.roots = roots;
        this.maxBytes = properties.maxBodySize().toBytes();
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
            byte[] body = scheme.equals("file") ? readFile(uri) : get(uri);
            return parse(body, uri);
        } catch (IOException e) {
            // the JDK's messages name the path or the connection, never what was read
            throw new IllegalStateException("cannot read the model outputs at %s: %s".formatted(uri, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + uri, e);
        }
    }

    private byte[] readFile(URI uri) throws IOException {
        Path path = roots.requireReadable(Path.of(uri));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the model outputs at %s are not a regular file".formatted(uri));
        }
        try (InputStream in = Files.newInputStream(path)) {
            return bounded(in, uri);
        }
    }

    private byte[] get(URI first) throws IOException, InterruptedException {
        URI uri = first;
        for (int redirects = 0; ; redirects++) {
            try {
                guard.requireAllowed(uri);
            } catch (OutboundRefusedException e) {
                throw new IllegalStateException(
                        "the model outputs at %s are not fetched: %s".formatted(uri, e.getMessage()));
            }
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                response.body().close();
                if (redirects == MAX_REDIRECTS) {
                    throw new IllegalStateException("fetching the model outputs from %s took more than %d redirects"
                            .formatted(first, MAX_REDIRECTS));
                }
                uri = uri.resolve(location.get());
                continue;
            }
            try (InputStream body = response.body()) {
                if (status != 200) {
                    throw new IllegalStateException(
                            "fetching the model outputs from %s answered HTTP %d".formatted(uri, status));
                }
                long declared =
                        response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge(uri);
                }
                return bounded(body, uri);
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Reads at most {@code maxBytes}; one byte more fails the read instead of filling the heap. */
    private byte[] bounded(InputStream in, URI uri) throws IOException {
        byte[] read = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (read.length > maxBytes) {
            throw tooLarge(uri);
        }
        return read;
    }

    private IllegalStateException tooLarge(URI uri) {
        return new IllegalStateException(
                "the model outputs at %s are larger than assay.outbound.max-body-size (%d bytes)"
                        .formatted(uri, maxBytes));
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
