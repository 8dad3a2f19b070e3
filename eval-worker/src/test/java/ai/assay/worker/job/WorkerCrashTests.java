package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.worker.AssayWorkerApplication;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A worker process killed with SIGKILL in the middle of a job, and another worker taking the job over. */
class WorkerCrashTests {

    private static final String SMOKE = "{\"name\":\"smoke\",\"examples\":120,\"millisPerExample\":20}";

    private TestDatabase database;
    private JdbcClient jdbc;
    private Jobs jobs;
    private Process process;
    private ConfigurableApplicationContext survivor;

    @BeforeEach
    void setUp() {
        database = TestPostgres.createDatabase().migrate();
        jdbc = JdbcClient.create(database.dataSource());
        jobs = Jobs.smokeJobsIn(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        if (process != null) {
            process.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
        database.close();
    }

    @Test
    void aKilledWorkersJobIsReclaimedAfterItsLeaseExpiresAndEndsAsACleanRunWould() throws Exception {
        UUID id = jobs.submit(SMOKE);
        process = startWorkerProcess("doomed");
        Evaluation midway = jobs.await(
                id,
                Duration.ofSeconds(60),
                e -> e.state() == RunState.RUNNING
                        && e.tasks().get(0).progress().done() >= 20);
        assertThat(midway.leaseOwner()).isEqualTo("doomed");

        process.destroyForcibly();
        process.waitFor();
        long doneBeforeKill = samples(id, 1);
        survivor = WorkerApps.start(database, "survivor");
        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(60));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(samples(id, 1))
                .as("the first attempt's checkpoints are kept, not redone")
                .isEqualTo(doneBeforeKill)
                .isGreaterThanOrEqualTo(20);
        assertThat(samples(id, 1) + samples(id, 2)).isEqualTo(120);
        String history = jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
        assertThat(history).contains("lease expired").contains("doomed");

        UUID clean = jobs.submit(SMOKE);
        Evaluation cleanRun = jobs.awaitEnd(clean, Duration.ofSeconds(60));
        assertThat(done.tasks().get(0).metrics())
                .isEqualTo(cleanRun.tasks().get(0).metrics());
        assertThat(scores(id)).isEqualTo(scores(clean));
    }

    /**
     * The drill of repeated kills: three worker processes in a row are SIGKILLed, each once the job has gone
     * further than the last kill; a fourth worker finishes it. Every example is stored exactly once and the metrics
     * are those of a run that was never interrupted.
     */
    @Test
    void aJobSurvivesThreeKilledWorkersAndEndsAsACleanRunWould() throws Exception {
        UUID id = jobs.submit(SMOKE);
        jdbc.sql("UPDATE evaluation SET max_attempts = 5 WHERE id = :id")
                .param("id", id)
                .update();
        int killedAt = 0;
        for (int round = 1; round <= 3; round++) {
            int after = killedAt + 15;
            process = startWorkerProcess("doomed-" + round);
            Evaluation midway = jobs.await(
                    id,
                    Duration.ofSeconds(90),
                    e -> e.state() == RunState.RUNNING
                            && e.tasks().get(0).progress().done() >= after);
            process.destroyForcibly();
            process.waitFor();
            killedAt = midway.tasks().get(0).progress().done();
        }
        survivor = WorkerApps.start(database, "survivor");
        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(90));

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(4);
        long stored = jdbc.sql("""
                SELECT count(*) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id""").param("id", id).query(Long.class).single();
        long distinct = jdbc.sql("""
                SELECT count(DISTINCT s.doc_id) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id""").param("id", id).query(Long.class).single();
        assertThat(stored).isEqualTo(120);
        assertThat(distinct).isEqualTo(120);
        assertThat(jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .contains("doomed-1", "doomed-2", "doomed-3");

        UUID clean = jobs.submit(SMOKE);
        Evaluation cleanRun = jobs.awaitEnd(clean, Duration.ofSeconds(60));
        assertThat(done.tasks().get(0).metrics())
                .isEqualTo(cleanRun.tasks().get(0).metrics());
        assertThat(scores(id)).isEqualTo(scores(clean));
    }

    private long samples(UUID evaluationId, int attempt) {
        return jdbc.sql("""
                SELECT count(*) FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id AND s.attempt = :attempt""")
                .param("id", evaluationId)
                .param("attempt", attempt)
                .query(Long.class)
                .single();
    }

    private List<String> scores(UUID evaluationId) {
        return jdbc.sql("""
                SELECT s.doc_id || ':' || s.scores::text FROM sample_score s JOIN evaluation_task t ON t.id = s.task_id
                 WHERE t.evaluation_id = :id ORDER BY s.doc_id""").param("id", evaluationId).query(String.class).list();
    }

    /** The worker application in a JVM of its own, on this test's class path. */
    private Process startWorkerProcess(String id) throws Exception {
        Path log = Files.createTempFile("assay-worker-" + id, ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                AssayWorkerApplication.class.getName()));
        command.addAll(WorkerApps.testSettings(database, id));
        log.toFile().deleteOnExit();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }
}
