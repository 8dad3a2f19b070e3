package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import ai.assay.worker.queue.JobQueuedNotifications;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker claims without waiting for its poll: when PostgreSQL notifies that a job was queued, and as soon as one
 * of its jobs ends. The poll here is an hour, so only those two can make a job run in these tests.
 */
class ClaimWakeUpTests {

    private static final String ONE_HOUR_POLL = "--assay.worker.poll-interval=1h";
    private static final String SHORT = "{\"name\":\"smoke\",\"examples\":2,\"millisPerExample\":1}";

    private TestDatabase database;
    private Jobs jobs;
    private ConfigurableApplicationContext worker;

    @BeforeEach
    void setUp() {
        database = TestPostgres.createDatabase().migrate();
        jobs = Jobs.smokeJobsIn(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
        database.close();
    }

    @Test
    void aJobQueuedWhileTheWorkerIsIdleIsClaimedOnTheNotification() {
        worker = WorkerApps.start(database, "listening", ONE_HOUR_POLL);
        awaitListening();

        UUID id = jobs.submit(SHORT);

        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(30));
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void aWorkerClaimsTheNextJobAsSoonAsOneEnds() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(jobs.submit(SHORT));
        }

        // no notifications: the first job is claimed at start-up, each further one only when the one before ends
        worker = WorkerApps.start(database, "re-claiming", ONE_HOUR_POLL, "--assay.worker.listen-for-jobs=false");

        for (UUID id : ids) {
            assertThat(jobs.awaitEnd(id, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCEEDED);
        }
    }

    @Test
    void aWorkerThatHasRunAJobWakesOnTheNextNotificationToo() {
        worker = WorkerApps.start(database, "woken-twice", ONE_HOUR_POLL);
        awaitListening();
        UUID id = jobs.submit(SHORT);
        jobs.awaitEnd(id, Duration.ofSeconds(30));

        UUID again = jobs.submit(SHORT);

        assertThat(jobs.awaitEnd(again, Duration.ofSeconds(30)).state()).isEqualTo(RunState.SUCCEEDED);
    }

    private void awaitListening() {
        JobQueuedNotifications notifications = worker.getBean(JobQueuedNotifications.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!notifications.listening()) {
            assertThat(System.nanoTime())
                    .as("the worker listens for queued jobs")
                    .isLessThan(deadline);
            Jobs.sleep(20);
        }
    }
}
