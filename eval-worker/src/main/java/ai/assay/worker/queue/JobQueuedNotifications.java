package ai.assay.worker.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells the claim loop when a job was queued: PostgreSQL's {@code NOTIFY} on the channel {@value #CHANNEL}, sent
 * by a trigger when an evaluation becomes queued (migration V9), so a worker with a free slot claims within
 * milliseconds instead of at its next poll. One connection of the pool is held for {@code LISTEN} while the worker
 * runs. When it breaks (a database restart, a dropped connection) the listener ends; the claim loop's next poll
 * starts it again, so polling is the fallback and this class has no retry loop of its own.
 */
@Component
public class JobQueuedNotifications {

    static final String CHANNEL = "assay_job_queued";

    private static final Logger log = LoggerFactory.getLogger(JobQueuedNotifications.class);
    /** How long one wait for notifications lasts before the listener checks whether it should stop. */
    private static final int WAIT_MILLIS = 1000;

    private final DataSource dataSource;
    private Thread listener;
    private volatile boolean listening;
    private volatile boolean closed;

    public JobQueuedNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Starts listening unless a listener runs already. {@code onQueued} runs on the listener's thread once
     * {@code LISTEN} holds (for a job queued just before) and after each notification; it should only hand work
     * to another thread.
     */
    public synchronized void ensureListening(Runnable onQueued) {
        if (closed || (listener != null && listener.isAlive())) {
            return;
        }
        listener = new Thread(() -> listen(onQueued), "assay-job-listener");
        listener.setDaemon(true);
        listener.start();
    }

    /** Whether {@code LISTEN} holds now. */
    public boolean listening() {
        return listening;
    }

    public synchronized void close() {
        closed = true;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen(Runnable onQueued) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
            PGConnection postgres = connection.unwrap(PGConnection.class);
            listening = true;
            onQueued.run();
            while (!closed && !Thread.currentThread().isInterrupted()) {
                PGNotification[] notifications = postgres.getNotifications(WAIT_MILLIS);
                if (notifications != null && notifications.length > 0) {
                    onQueued.run();
                }
            }
        } catch (SQLException e) {
            if (!closed) {
                log.warn(
                        "Stopped listening for queued jobs ({}); polling finds them until listening resumes",
                        e.getMessage());
            }
        } finally {
            listening = false;
        }
    }
}
