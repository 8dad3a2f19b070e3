package ai.assay.worker.judge.client;

import java.time.Duration;

/** One request to the judge failed. The message never contains the API key. */
public class JudgeCallException extends Exception {

    /** What went wrong, which decides what happens next. */
    public enum Kind {
        /** 429: retried, honouring Retry-After. */
        RATE_LIMITED(true),
        /** 5xx, 408 or 409 (see {@code TransientFailure}): retried. */
        SERVER_ERROR(true),
        /** Timeout or connection failure: retried. */
        IO(true),
        /** 401, 403 or 404 (key, permission, model or URL wrong): every request would fail; the batch stops. */
        CONFIGURATION(false),
        /** Another 4xx: the judge refused this request (e.g. the prompt is too long); this example fails. */
        REJECTED(false),
        /** The answer is not a chat completion the SDK accepts; this example fails. */
        INVALID_RESPONSE(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final Integer status;
    private final Duration retryAfter;

    public JudgeCallException(Kind kind, Integer status, Duration retryAfter, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, null when there was no response. */
    public Integer status() {
        return status;
    }

    /** What the server asked to wait ({@code retry-after-ms} or {@code Retry-After}), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
