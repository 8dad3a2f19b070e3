package ai.assay.core.retry;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * A failure that another try may cure; thrown by an attempt that {@link RetryPolicy#run} runs. This class holds the
 * one rule of the code base for what a retry may cure:
 *
 * <ul>
 *   <li>no connection, a timeout, a transfer broken on the way: the network or the server was briefly unable;
 *   <li>HTTP 408 (Request Timeout), 429 (Too Many Requests) and any 5xx: the server says it could not answer now;
 *   <li>HTTP 409 (Conflict): the request met state that was being changed (OpenAI answers it for a lock that timed
 *       out, and its SDKs retry it); for the GETs and idempotent POSTs retried here another try is harmless;
 *   <li>a database that is briefly away ({@link #isTransientDatabaseError}): a PostgreSQL restart, a dropped or
 *       refused connection, a pool with no connection to give, a lock or a serialization conflict. The writes retried
 *       are idempotent (inserts keep the rows that exist, the rest replace), so a write whose commit was lost on the
 *       way may run again.
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

    /**
     * Whether a database call that threw this is worth another try: anywhere in its causes, a Spring
     * {@link TransientDataAccessException}, {@link RecoverableDataAccessException} or
     * {@link DataAccessResourceFailureException} (no connection, among them {@code CannotGetJdbcConnectionException}),
     * a {@link CannotCreateTransactionException} (no connection to begin with), a JDBC {@link SQLTransientException}
     * or {@link SQLRecoverableException} (the pool's timeout), or a {@link SQLException} whose SQLState says the
     * connection is gone: class 08 (connection exception) or 57P01 to 57P03 (the server shuts down, crashed, or is
     * still starting). A rollback that fails on a dead connection ("JDBC rollback failed", the pool's "Connection is
     * closed" without an SQLState) is judged by the error that made it roll back, which Spring keeps as the
     * {@link TransactionSystemException#getApplicationException() application exception}.
     * Anything else (bad SQL, a constraint, a refused lease) is the call's own and comes back on every try.
     */
    public static boolean isTransientDatabaseError(Throwable failure) {
        return isTransientDatabaseError(failure, 0);
    }

    private static boolean isTransientDatabaseError(Throwable failure, int depth) {
        for (Throwable cause = failure; cause != null && depth < 32; cause = cause.getCause(), depth++) {
            if (cause instanceof TransactionSystemException system
                    && system.getApplicationException() != null
                    && isTransientDatabaseError(system.getApplicationException(), depth + 1)) {
                return true;
            }
            if (cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && isConnectionGone(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionGone(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith("08")
                        || sqlState.equals("57P01")
                        || sqlState.equals("57P02")
                        || sqlState.equals("57P03"));
    }

    /** The message, followed by the number of attempts where there were several: for the error once retries end. */
    public String messageAfter(int attempts) {
        return attempts == 1 ? getMessage() : getMessage() + " (" + attempts + " attempts)";
    }
}
