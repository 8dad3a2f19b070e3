package ai.assay.core.retry;

import java.time.Duration;

/**
 * A failure that another try may cure; thrown by an attempt that {@link RetryPolicy#run} runs. This class holds the
 * one rule of the code base for what a retry may cure:
 *
 * <ul>
 *   <li>no connection, a timeout, a transfer broken on the way: the network or the server was briefly unable;
 *   <li>HTTP 408 (Request Timeout), 429 (Too Many Requests) and any 5xx: the server says it could not answer now;
 *   <li>HTTP 409 (Conflict): the request met state that was being changed (OpenAI answers it for a lock that timed
 *       out, and its SDKs retry it); for the GETs and idempotent POSTs retried here another try is harmless.
 * </ul>
 *
 * Any other status is the server's answer to this request and the same request gets it again: 401 and 403 (the
 * credentials), 404 (no such thing), 400 and 422 (the request itself). A caller may widen the rule for a reason of
 * its own and says so where it does (callbacks retry a receiver's 404).
 */
public class TransientFailure extends RuntimeException {

    private final transient Duration retryAfter;

    public TransientFailure(String message) {
        this(message, null, null);
    }

    public TransientFailure(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** @param retryAfter what the server asked to wait before the next try ({@link RetryAfter}), or null */
    public TransientFailure(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** What the server asked to wait before the next try, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether an HTTP response with this status is worth another try: 408, 409, 429 or any 5xx (see the class). */
    public static boolean isTransientStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** The message, followed by the number of attempts where there were several: for the error once retries end. */
    public String messageAfter(int attempts) {
        return attempts == 1 ? getMessage() : getMessage() + " (" + attempts + " attempts)";
    }
}
