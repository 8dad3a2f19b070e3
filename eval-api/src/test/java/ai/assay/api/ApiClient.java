package ai.assay.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to the API over real HTTP, the way a pipeline does: with its token, or none. */
public final class ApiClient {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private final String token;

    /**
     * @param token the bearer token sent with every request, or null to send none
     */
    public ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** The same API with another token (null: none). */
    public ApiClient withToken(String other) {
        return new ApiClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), other);
    }

    public ApiClient anonymous() {
        return withToken(null);
    }

    public record Response(int status, String contentType, String location, String body, HttpHeaders headers) {

        /** The first value of a response header, or null. */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            return MAPPER.readTree(body);
        }

        public boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response get(String path, String accept) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", accept)
                .GET());
    }

    public Response postJson(String path, String json) {
        return postJson(path, json, null);
    }

    public Response postJson(String path, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    public Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sends the body without a Content-Length (chunked), as a client streaming a body would. */
    public Response postChunked(String path, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    public Response postEmpty(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Any request: the method, the path with its query, a body (or null) and header names and values in pairs; a
     * name given twice is sent twice.
     */
    public Response request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Optional<String> contentType = response.headers().firstValue("Content-Type");
            return new Response(
                    response.statusCode(),
                    contentType.orElse(null),
                    response.headers().firstValue("Location").orElse(null),
                    response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
