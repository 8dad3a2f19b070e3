package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.testing.TestDatabase;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fault drill: the PostgreSQL a worker uses is restarted (fast mode, every connection cut) twice while a job runs.
 * The database being away for a moment is the worker's trouble, never the task's: the job goes on, or is given back
 * and resumed, and ends as an uninterrupted run would.
 */
class DatabaseRestartDrillTests {

    private static final int EXAMPLES = 300;
    private static final String SMOKE = "{\"name\":\"smoke\",\"examples\":" + EXAMPLES + ",\"millisPerExample\":20}";
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @TempDir
    Path folder;

    private RestartablePostgres postgres;
    private ConfigurableApplicationContext worker;

    @AfterEach
    void tearDown() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aJobSurvivesTwoDatabaseRestartsWithEveryExampleOnceAndTheMetricsOfAnUninterruptedRun() throws Exception {
        Optional<RestartablePostgres> cluster = RestartablePostgres.start(folder);
        assumeTrue(cluster.isPresent(), "no PostgreSQL this test can start and restart on this machine");
        postgres = cluster.get();
        TestDatabase database = postgres.createDatabase("assay_drill").migrate();
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        Jobs jobs = Jobs.smokeJobsIn(database.dataSource());
        // A lease long enough that a restart never outlasts it: the drill is about the database, not the reaper.
        worker = WorkerApps.start(database, "drill", "--assay.worker.lease-duration=10s");

        UUID id = jobs.submit(SMOKE);
        awaitTrue(() -> checkpointed(jdbc, id) >= 40);
        postgres.restart();
        long afterFirst = awaitThroughOutages(() -> checkpointed(jdbc, id)).longValue();
        awaitTrue(() -> checkpointed(jdbc, id) >= afterFirst + 60);
        postgres.restart();
        Evaluation restarted = awaitThroughOutages(jobs, id, e -> e.state().isTerminal());

        assertThat(restarted.state())
                .as("ended as %s: %s", restarted.state(), restarted.error())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(restarted.tasks().get(0).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(checkpointed(jdbc, id)).isEqualTo(EXAMPLES);
        assertThat(jdbc.sql("""
                        SELECT count(DISTINCT s.doc_id) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                         WHERE t.evaluation_id = :id""").param("id", id).query(Long.class).single())
                .as("every example exactly once")
                .isEqualTo(EXAMPLES);
        assertThat(restarted.attempt())
                .as("the restarts cost no attempt: the worker retried its writes in place")
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("[]");

        UUID clean = jobs.submit(SMOKE);
        Evaluation cleanRun = jobs.awaitEnd(clean, TIMEOUT);
        assertThat(cleanRun.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(restarted.tasks().get(0).metrics())
                .isEqualTo(cleanRun.tasks().get(0).metrics());
        assertThat(scores(jdbc, id)).isEqualTo(scores(jdbc, clean));
    }

    @Test
    void aJobWhoseDatabaseStaysAwayLongerThanItsLeaseIsGivenBackAndEndsAsAnUninterruptedRunWould() throws Exception {
        Optional<RestartablePostgres> cluster = RestartablePostgres.start(folder);
        assumeTrue(cluster.isPresent(), "no PostgreSQL this test can start and restart on this machine");
        postgres = cluster.get();
        TestDatabase database = postgres.createDatabase("assay_drill").migrate();
        JdbcClient jdbc = JdbcClient.create(database.dataSource());
        Jobs jobs = Jobs.smokeJobsIn(database.dataSource());
        Duration lease = Duration.ofSeconds(2);
        // Calls fail during the outage instead of waiting for a connection (the pool waits 30 s by default), so the
        // heartbeat sees the lease go unrenewed.
        worker = WorkerApps.start(
                database,
                "drill",
                "--assay.worker.lease-duration=" + lease.toSeconds() + "s",
                "--spring.datasource.hikari.connection-timeout=250");

        UUID id = jobs.submit(SMOKE);
        awaitTrue(() -> checkpointed(jdbc, id) >= 40);
        postgres.stop();
        // The fault itself: an outage half as long again as the lease, so the worker must stop the job locally.
        Thread.sleep(lease.toMillis() * 3 / 2);
        postgres.startAgain();
        Evaluation resumed = awaitThroughOutages(jobs, id, e -> e.state().isTerminal());

        assertThat(resumed.state())
                .as("ended as %s: %s", resumed.state(), resumed.error())
                .isEqualTo(RunState.SUCCEEDED);
        assertThat(checkpointed(jdbc, id)).isEqualTo(EXAMPLES);
        var acc = resumed.tasks().get(0).metrics().get(0);
        assertThat(acc.n()).isEqualTo(EXAMPLES);
        assertThat(acc.value()).isEqualTo(JobLifecycleTests.expectedSmokeAccuracy(EXAMPLES));
        String history = jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
        if (resumed.attempt() == 1) {
            assertThat(history)
                    .as("released when the database came back: no attempt counted")
                    .isEqualTo("[]");
        } else {
            assertThat(resumed.attempt())
                    .as("requeued by the reaper once: one attempt counted")
                    .isEqualTo(2);
            assertThat(history).contains("lease expired").doesNotContain("failed");
        }
    }

    private static long checkpointed(JdbcClient jdbc, UUID evaluationId) {
        return jdbc.sql("""
                SELECT count(*) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id""").param("id", evaluationId).query(Long.class).single();
    }

    private static List<String> scores(JdbcClient jdbc, UUID evaluationId) {
        return jdbc.sql("""
                SELECT s.doc_id || ':' || s.scores::text FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id ORDER BY s.doc_id""").param("id", evaluationId).query(String.class).list();
    }

    /** Polls until the condition holds, counting a query the restarting server refuses as "not yet". */
    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        awaitThroughOutages(() -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls until the supplier answers (not null), counting a refused query as no answer yet. */
    private static <T> T awaitThroughOutages(java.util.function.Supplier<T> answer) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = answer.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException refused) {
                last = refused;
            }
            Jobs.sleep(50);
        }
        throw new AssertionError("timed out; last refusal: " + last, last);
    }

    private static Evaluation awaitThroughOutages(Jobs jobs, UUID id, Predicate<Evaluation> condition) {
        return awaitThroughOutages(() -> {
            Evaluation evaluation = jobs.get(id);
            return condition.test(evaluation) ? evaluation : null;
        });
    }
}
