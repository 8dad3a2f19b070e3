package ai.assay.worker.judge.annotator;

import ai.assay.core.retry.RetryAfter;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.TransientFailure;
import ai.assay.worker.judge.JudgeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Downloads files of alpaca_eval's {@code src/alpaca_eval/evaluators_configs} at a pinned commit from a raw file host
 * ({@code <base>/<commit>/src/alpaca_eval/evaluators_configs/<path>}). A download that fails on the way (what
 * {@link TransientFailure} says a retry may cure: no connection, a timeout, HTTP 408, 409, 429 or 5xx) is tried again
 * by a {@link RetryPolicy}, after the host's {@code Retry-After} or an exponential backoff of at most a minute.
 */
public class AlpacaEvalConfigFiles {

    private static final String CONFIGS_PATH = "src/alpaca_eval/evaluators_configs/";
    private static final int DEFAULT_RETRIES = 3;
    private static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

    private final URI baseUrl;
    private final String commit;
    private final HttpClient http;
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private final RetryPolicy retries;

    public AlpacaEvalConfigFiles(URI baseUrl, String commit) {
        this(baseUrl, commit, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY);
    }

    /**
     * @param retries    how many times a download that failed on the way is tried again
     * @param retryDelay the wait before the first retry, doubled before each next one (at most a minute)
     */
    public AlpacaEvalConfigFiles(URI baseUrl, String commit, int retries, Duration retryDelay) {
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.commit = commit;
        // HTTP/1.1: the JDK client's h2c upgrade is refused by some servers and test stubs.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.retries = RetryPolicy.of(retries + 1, retryDelay, MAX_RETRY_DELAY);
    }

    public String commit() {
        return commit;
    }

    /** Where a file is downloaded from, for messages. */
    public URI location(String relativePath) {
        return baseUrl.resolve(commit + "/" + CONFIGS_PATH + relativePath);
    }

    /**
     * @param relativePath a path under {@code evaluators_configs}, with '/' separators
     * @return the file's text, or null if the repository has no such file at that commit
     */
    public String fetch(String relativePath) {
        URI uri = location(relativePath);
        try {
            return retries.run(
                    () -> fetchOnce(uri),
                    (failure, attempts) -> new JudgeException(failure.messageAfter(attempts), failure));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException("interrupted while downloading " + uri);
        }
    }

    private String fetchOnce(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TransientFailure(
                    "could not download " + uri + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                            + " (set assay.judge.offline and assay.judge.annotators-dir to work offline)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException("interrupted while downloading " + uri);
        }
        if (response.statusCode() == 404) {
            return null;
        }
        int status = response.statusCode();
        if (TransientFailure.isTransientStatus(status)) {
            throw new TransientFailure(
                    "could not download " + uri + ": HTTP " + status,
                    RetryAfter.from(name -> response.headers().firstValue(name).orElse(null)),
                    null);
        }
        if (status != 200) {
            throw new JudgeException("could not download " + uri + ": HTTP " + status);
        }
        return response.body();
    }
}
