package ai.assay.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class TransientDatabaseErrorTests {

    @Test
    void aRollbackOnAConnectionTheServerClosedIsTransient() {
        var closed = new SQLException("This connection has been closed.", "08003");

        assertThat(TransientFailure.isTransientDatabaseError(
                        new TransactionSystemException("JDBC rollback failed", closed)))
                .isTrue();
    }

    @Test
    void aRollbackThatReplacedAnAdminShutdownIsTransient() {
        var rollback = new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(new UncategorizedSQLException(
                "insert", "INSERT", new SQLException("terminating connection due to administrator command", "57P01")));

        assertThat(TransientFailure.isTransientDatabaseError(rollback)).isTrue();
        assertThat(TransientFailure.isTransientDatabaseError(new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("Connection is closed"))))
                .isFalse();
    }

    @Test
    void aServerShuttingDownOrStartingIsTransient() {
        for (String state : new String[] {"57P01", "57P02", "57P03", "08006", "08001"}) {
            var sql = new SQLException("terminating connection due to administrator command", state);
            assertThat(TransientFailure.isTransientDatabaseError(
                            new UncategorizedSQLException("insert", "INSERT", sql)))
                    .as(state)
                    .isTrue();
        }
    }

    @Test
    void noConnectionFromThePoolOrForATransactionIsTransient() {
        var poolTimeout = new SQLTransientConnectionException("Connection is not available, request timed out");

        assertThat(TransientFailure.isTransientDatabaseError(
                        new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection", poolTimeout)))
                .isTrue();
        assertThat(TransientFailure.isTransientDatabaseError(
                        new CannotCreateTransactionException("Could not open JDBC Connection for transaction")))
                .isTrue();
        assertThat(TransientFailure.isTransientDatabaseError(new QueryTimeoutException("timed out")))
                .isTrue();
    }

    @Test
    void theCallsOwnErrorsAreNotTransient() {
        assertThat(TransientFailure.isTransientDatabaseError(
                        new BadSqlGrammarException("select", "SELEC 1", new SQLException("syntax error", "42601"))))
                .isFalse();
        assertThat(TransientFailure.isTransientDatabaseError(new DataIntegrityViolationException("duplicate key")))
                .isFalse();
        assertThat(TransientFailure.isTransientDatabaseError(new IllegalStateException("smoke example 4 failed")))
                .isFalse();
        assertThat(TransientFailure.isTransientDatabaseError(new SQLException("no state")))
                .isFalse();
    }
}
