package ai.assay.core.retry;

/** A failure that another try may not meet: no connection, a timeout, a broken transfer, HTTP 429 or 5xx. */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
