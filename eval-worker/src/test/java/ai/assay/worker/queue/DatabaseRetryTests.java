package ai.assay.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.retry.RunStop;
import ai.assay.worker.task.DatabaseUnavailableException;
import ai.assay.worker.task.JobStoppedException;
import ai.assay.worker.task.LeaseLostException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

class DatabaseRetryTests {

    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void aWriteThatMetARestartingDatabaseRunsAgainUntilItAnswers() {
        String answer = DatabaseRetry.until(new RunStop()).call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new TransactionSystemException(
                        "JDBC rollback failed", new SQLException("This connection has been closed.", "08003"));
            }
            return "written";
        });

        assertThat(answer).isEqualTo("written");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aWritesOwnErrorAndARefusedLeaseAreThrownAtOnce() {
        DatabaseRetry retry = DatabaseRetry.until(new RunStop());

        assertThatThrownBy(() -> retry.run(() -> {
                    calls.incrementAndGet();
                    throw new DataIntegrityViolationException("duplicate key");
                }))
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> retry.run(() -> {
                    calls.incrementAndGet();
                    throw new LeaseLostException("taken over");
                }))
                .isInstanceOf(LeaseLostException.class);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aStoppedJobsRetriesEndAsAStopNotAFailure() {
        RunStop stop = new RunStop();

        assertThatThrownBy(() -> DatabaseRetry.until(stop).run(() -> {
                    calls.incrementAndGet();
                    stop.stop();
                    throw new TransactionSystemException("JDBC commit failed", new SQLException("I/O error", "08006"));
                }))
                .isInstanceOf(DatabaseUnavailableException.class)
                .isInstanceOf(JobStoppedException.class);
        assertThat(calls).hasValue(1);
    }
}
