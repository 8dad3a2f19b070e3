package ai.assay.core.retry;

/**
 * A failure that may well not happen again on another try: no connection, a timeout, a broken transfer, HTTP 429
 * or 5xx.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether an HTTP response with this status is worth another try: 429 (too many requests) or any 5xx. */
    public static boolean isTransientStatus(int status) {
        return status == 429 || status >= 500;
    }
}
