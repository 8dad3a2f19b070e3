package ai.assay.core.lmeval.taskfiles;

import ai.assay.core.retry.RetryAfter;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.TransientFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fetches files of lm-eval's repository from a raw file host, {@code <base-url>/<commit>/lm_eval/tasks/<path>}, as
 * the alpaca_eval annotator configs are fetched: HTTP/1.1, redirects followed (no credentials are sent, so a redirect
 * to another host leaks nothing), and a request that fails on the way (what {@link TransientFailure} says a retry may
 * cure: no connection, a timeout, a broken transfer, HTTP 408, 409, 429 or 5xx) tried again by a {@link RetryPolicy},
 * after the host's {@code Retry-After} or an exponential backoff of at most a minute. A 404 or another refusal is the
 * host's answer and is not retried.
 *
 * <p>The base URL is an operator's setting, not a submitter's, so the outbound guard does not apply (as for the Hub).
 */
final class TaskFileDownloader {

    private static final String TASKS_PATH = "lm_eval/tasks/";
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

    private final URI baseUrl;
    private final String commit;
    private final Duration readTimeout;
    private final HttpClient http;
    private final RetryPolicy retries;

    TaskFileDownloader(LmEvalTaskFilesProperties properties) {
        String base = properties.baseUrl().toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.commit = properties.commit();
        this.readTimeout = properties.readTimeout();
        // HTTP/1.1: the JDK client's h2c upgrade is refused by some servers and test stubs.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.retries = RetryPolicy.of(properties.retries() + 1, properties.retryDelay(), MAX_RETRY_DELAY);
    }

    /** Where {@code path} is downloaded from. */
    URI location(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/")) {
            if (!encoded.isEmpty()) {
                encoded.append('/');
            }
            encoded.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return baseUrl.resolve(commit + "/" + TASKS_PATH + encoded);
    }

    /**
     * The file's bytes as the host serves them.
     *
     * @throws TaskFileUnavailableException when the host refuses, has no such file, or the retries are spent
     */
    byte[] fetch(String path) {
        URI uri = location(path);
        try {
            return retries.run(
                    () -> fetchOnce(path, uri),
                    (failure, attempts) ->
                            new TaskFileUnavailableException(path, failure.messageAfter(attempts) + hint(), failure));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFileUnavailableException(path, "interrupted while downloading " + uri, e);
        }
    }

    private byte[] fetchOnce(String path, URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(readTimeout).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TransientFailure(
                    "cannot download lm-eval task file %s from %s: %s".formatted(path, uri, reason(e)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFileUnavailableException(path, "interrupted while downloading " + uri, e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        String message = "cannot download lm-eval task file %s: %s answered HTTP %d".formatted(path, uri, status);
        if (TransientFailure.isTransientStatus(status)) {
            throw new TransientFailure(
                    message,
                    RetryAfter.from(name -> response.headers().firstValue(name).orElse(null)),
                    null);
        }
        if (status == 404) {
            message += " (is assay.lmeval.commit %s a commit of lm-eval that has this file, and assay.lmeval.base-url"
                            .formatted(commit)
                    + " its raw file host?)";
        }
        throw new TaskFileUnavailableException(path, message + hint());
    }

    private static String hint() {
        return "; or put lm-eval's lm_eval/tasks/ into assay.lmeval.tasks-dir";
    }

    /** What went wrong, for a message: network errors often have no message of their own. */
    private static String reason(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }
}
