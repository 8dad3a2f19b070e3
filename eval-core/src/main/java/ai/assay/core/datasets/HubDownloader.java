package ai.assay.core.datasets;

import ai.assay.core.retry.RetryAfter;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.TransientFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downloads a split's parquet files from the Hugging Face Hub: the Hub's parquet conversion of the dataset (the
 * {@code refs/convert/parquet} revision that the dataset viewer publishes, the same rows {@code datasets} loads),
 * listed by {@code GET /api/datasets/<id>/parquet/<config>/<split>}, then each listed URL fetched. Redirects are
 * followed by hand so that the token goes to the Hub's own host only, never to the storage host it redirects to.
 * A request that fails on the way (what {@link TransientFailure} says a retry may cure: no connection, a timeout, a
 * broken transfer, HTTP 408, 409, 429 or 5xx) is tried again by a {@link RetryPolicy}: after the Hub's
 * {@code Retry-After}, else an exponential backoff from {@code retry-delay} (at most a minute); a refusal (401, 403,
 * 404) or a corrupt file is not.
 */
final class HubDownloader {

    private static final Logger log = LoggerFactory.getLogger(HubDownloader.class);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final int MAX_REDIRECTS = 10;

    private final URI hub;
    private final String token;
    private final HttpClient http;
    private final Duration readTimeout;
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private final RetryPolicy retries;

    HubDownloader(DatasetProperties properties) {
        this.hub = properties.hubUrl();
        this.token = properties.hfToken();
        this.readTimeout = properties.readTimeout();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.retries = RetryPolicy.of(properties.retries() + 1, properties.retryDelay(), MAX_RETRY_DELAY);
    }

    /** The URL listing the split's parquet files. */
    URI listingUrl(DatasetSplit split) {
        StringBuilder path = new StringBuilder("api/datasets/");
        for (String part : split.dataset().split("/")) {
            path.append(encode(part)).append('/');
        }
        path.append("parquet/").append(encode(split.config())).append('/').append(encode(split.split()));
        String base = hub.toString().endsWith("/") ? hub.toString() : hub + "/";
        return URI.create(base + path);
    }

    /** The URL of one file of a dataset repository at a revision. */
    URI repositoryFileUrl(String repository, String revision, String file) {
        StringBuilder path = new StringBuilder("datasets/");
        for (String part : repository.split("/")) {
            path.append(encode(part)).append('/');
        }
        path.append("resolve/").append(encode(revision)).append('/').append(encode(file));
        String base = hub.toString().endsWith("/") ? hub.toString() : hub + "/";
        return URI.create(base + path);
    }

    /**
     * Downloads one file of a dataset repository into {@code staging}, checking the SHA-256 the Hub announces.
     *
     * @param key names the file in errors and in the cache
     */
    DatasetCache.Shard downloadFile(DatasetSplit key, URI url, Path staging) {
        Path target = staging.resolve(key.split());
        fetch(key, url, target);
        log.info("Downloaded {}", url);
        return new DatasetCache.Shard(key.split(), target, url.toString());
    }

    /** Downloads {@code url} to {@code target}, with retries, and checks the SHA-256 the Hub announces. */
    private void fetch(DatasetSplit split, URI url, Path target) {
        String expected = withRetries(split, () -> {
            HttpResponse<InputStream> response = get(split, url);
            try (InputStream body = response.body()) {
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new TransientFailure("download of %s failed: %s".formatted(url, reason(e)), e);
            }
            return linkedEtag(response);
        });
        if (expected != null) {
            String actual = Sha256.of(target);
            if (!actual.equals(expected)) {
                throw new DatasetUnavailableException(
                        split,
                        ("download of %s is corrupt: SHA-256 %s, the Hub" + " announced %s")
                                .formatted(url, actual, expected));
            }
        }
    }

    /** Runs {@code attempt} with retries; the last failure, once they are spent, says how many attempts were made. */
    private <T> T withRetries(DatasetSplit split, Supplier<T> attempt) {
        try {
            return retries.run(
                    attempt,
                    (failure, attempts) ->
                            new DatasetUnavailableException(split, failure.messageAfter(attempts), failure));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetUnavailableException(split, "interrupted while downloading " + split, e);
        }
    }

    /**
     * Downloads every shard of the split into {@code staging}, in the listing's order.
     *
     * @throws DatasetUnavailableException when the Hub refuses or has no such split
     */
    List<DatasetCache.Shard> download(DatasetSplit split, Path staging) {
        URI listing = listingUrl(split);
        List<URI> urls = withRetries(split, () -> shardUrls(split, listing));
        List<DatasetCache.Shard> shards = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String name = "%04d.parquet".formatted(i);
            Path file = staging.resolve(name);
            fetch(split, urls.get(i), file);
            shards.add(new DatasetCache.Shard(name, file, urls.get(i).toString()));
        }
        log.info("Downloaded {} ({} parquet file(s)) from {}", split, shards.size(), hub);
        return shards;
    }

    private List<URI> shardUrls(DatasetSplit split, URI listing) {
        List<URI> urls = new ArrayList<>();
        HttpResponse<InputStream> response = get(split, listing);
        JsonNode json;
        try (InputStream body = response.body()) {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new TransientFailure("cannot read the Hub's parquet listing %s: %s".formatted(listing, reason(e)), e);
        } catch (RuntimeException e) {
            throw new DatasetUnavailableException(
                    split, "cannot read the Hub's parquet listing %s: %s".formatted(listing, reason(e)), e);
        }
        if (!json.isArray() || json.isEmpty()) {
            throw new DatasetUnavailableException(
                    split, "the Hub lists no parquet files for %s at %s".formatted(split, listing));
        }
        for (JsonNode url : json) {
            urls.add(listing.resolve(url.asString()));
        }
        return urls;
    }

    /** One GET with its redirects; a failure that another try may not meet is a {@link TransientFailure}. */
    private HttpResponse<InputStream> get(DatasetSplit split, URI url) {
        URI current = url;
        String announced = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(current).timeout(readTimeout).GET();
            if (token != null && sameOrigin(current, hub)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new TransientFailure(
                        ("cannot reach the Hub at %s (%s); put the files in"
                                        + " a local directory instead (assay.datasets.dir for benchmark datasets)")
                                .formatted(current, reason(e)),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DatasetUnavailableException(split, "interrupted while downloading " + current, e);
            }
            int status = response.statusCode();
            if (announced == null) {
                announced = linkedEtag(response);
            }
            if (status >= 300
                    && status < 400
                    && response.headers().firstValue("Location").isPresent()) {
                close(response);
                current = current.resolve(
                        response.headers().firstValue("Location").get());
                continue;
            }
            if (status == 200) {
                return announced == null ? response : new AnnouncedResponse(response, announced);
            }
            close(response);
            if (TransientFailure.isTransientStatus(status)) {
                throw new TransientFailure(
                        refusal(split, current, status),
                        RetryAfter.from(
                                name -> response.headers().firstValue(name).orElse(null)),
                        null);
            }
            throw new DatasetUnavailableException(split, refusal(split, current, status));
        }
        throw new DatasetUnavailableException(split, "too many redirects from " + url);
    }

    private String refusal(DatasetSplit split, URI url, int status) {
        return switch (status) {
            case 401, 403 ->
                ("the Hub refused %s (HTTP %d): %s is gated or private; accept its terms on the Hub"
                                + " and set assay.datasets.hf-token%s")
                        .formatted(
                                url,
                                status,
                                split.dataset(),
                                token == null ? "" : " (a token was sent: check that it has access)");
            case 404 ->
                "the Hub has no parquet files for %s (HTTP 404 at %s): check the dataset id, config and split"
                        .formatted(split, url);
            default -> "the Hub answered HTTP %d for %s".formatted(status, url);
        };
    }

    /** The SHA-256 the Hub announces for a file stored with Git LFS ({@code X-Linked-Etag}), or null. */
    private static String linkedEtag(HttpResponse<?> response) {
        for (String header : List.of("X-Linked-Etag", "ETag")) {
            String value = response.headers().firstValue(header).orElse(null);
            if (value != null) {
                String bare = value.replace("W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
                if (Sha256.isSha256(bare)) {
                    return bare;
                }
            }
        }
        return null;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme()))
                && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** What went wrong, for a message: network errors often have no message of their own. */
    private static String reason(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped
        }
    }

    /** A final response carrying the checksum announced on an earlier hop of its redirect chain. */
    private record AnnouncedResponse(HttpResponse<InputStream> delegate, String announced)
            implements HttpResponse<InputStream> {

        @Override
        public int statusCode() {
            return delegate.statusCode();
        }

        @Override
        public HttpRequest request() {
            return delegate.request();
        }

        @Override
        public java.util.Optional<HttpResponse<InputStream>> previousResponse() {
            return delegate.previousResponse();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            var map = new java.util.TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
            map.putAll(delegate.headers().map());
            map.put("X-Linked-Etag", List.of(announced));
            return java.net.http.HttpHeaders.of(map, (k, v) -> true);
        }

        @Override
        public InputStream body() {
            return delegate.body();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return delegate.sslSession();
        }

        @Override
        public URI uri() {
            return delegate.uri();
        }

        @Override
        public HttpClient.Version version() {
            return delegate.version();
        }
    }
}
