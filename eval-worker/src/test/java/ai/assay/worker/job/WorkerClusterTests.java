package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Several whole workers on one database. */
class WorkerClusterTests {

    private TestDatabase database;
    private JdbcClient jdbc;
    private Jobs jobs;
    private final List<ConfigurableApplicationContext> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        database = TestPostgres.createDatabase().migrate();
        jdbc = JdbcClient.create(database.dataSource());
        jobs = Jobs.smokeJobsIn(database.dataSource());
    }

    @AfterEach
    void tearDown() {
        workers.forEach(ConfigurableApplicationContext::close);
        database.close();
    }

    @Test
    void threeWorkersRunFiftyJobsEachExactlyOnce() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(jobs.submit("{\"name\":\"smoke\",\"examples\":2,\"millisPerExample\":5}"));
        }
        for (int w = 1; w <= 3; w++) {
            workers.add(WorkerApps.start(database, "w" + w, "--assay.worker.concurrency=2"));
        }

        for (UUID id : ids) {
            Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(60));
            assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(done.attempt()).as("claimed once").isEqualTo(1);
            assertThat(done.tasks().get(0).metrics().get(0).n()).isEqualTo(2);
        }
        double claims = workers.stream()
                .mapToDouble(w -> w.getBean(MeterRegistry.class)
                        .counter("assay.worker.claims")
                        .count())
                .sum();
        assertThat(claims).isEqualTo(50);
        assertThat(jdbc.sql("SELECT count(*) FROM sample_score")
                        .query(Long.class)
                        .single())
                .isEqualTo(100);
    }

    @Test
    void onShutdownAWorkerGoesOutOfServiceThenReleasesItsJobForAnotherToFinish() throws Exception {
        ConfigurableApplicationContext first = WorkerApps.start(database, "leaving");
        workers.add(first);
        UUID id = jobs.submit("{\"name\":\"smoke\",\"examples\":400,\"millisPerExample\":20}");
        jobs.await(
                id,
                Duration.ofSeconds(30),
                e -> e.state() == RunState.RUNNING
                        && e.tasks().get(0).progress().done() >= 10);
        int port = ((WebServerApplicationContext) first).getWebServer().getPort();
        assertThat(readiness(port)).isEqualTo(200);

        Thread closing = new Thread(first::close);
        closing.start();
        int status = 200;
        for (int i = 0; i < 100 && status == 200; i++) {
            Thread.sleep(20);
            status = readiness(port);
        }
        assertThat(status)
                .as("readiness goes out of service while the worker drains")
                .isEqualTo(503);
        closing.join(10_000);
        assertThat(closing.isAlive()).isFalse();

        Evaluation released = jobs.get(id);
        assertThat(released.state()).isEqualTo(RunState.QUEUED);
        assertThat(released.attempt())
                .as("a release does not use up an attempt")
                .isZero();
        long checkpointed =
                jdbc.sql("SELECT count(*) FROM sample_score").query(Long.class).single();
        assertThat(checkpointed).isGreaterThanOrEqualTo(10);

        workers.add(WorkerApps.start(database, "arriving"));
        Evaluation done = jobs.awaitEnd(id, Duration.ofSeconds(30));
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.tasks().get(0).metrics().get(0).value())
                .isEqualTo(JobLifecycleTests.expectedSmokeAccuracy(400));
        assertThat(jdbc.sql("SELECT count(*) FROM sample_score WHERE attempt = 1")
                        .query(Long.class)
                        .single())
                .as("the second worker kept the first one's checkpoints")
                .isEqualTo(400);
    }

    @Test
    void aJobThatEndsWithinTheGracePeriodIsFinishedOnShutdown() {
        ConfigurableApplicationContext worker =
                WorkerApps.start(database, "finisher", "--assay.worker.shutdown-grace=20s");
        workers.add(worker);
        UUID id = jobs.submit("{\"name\":\"smoke\",\"examples\":10,\"millisPerExample\":100}");
        jobs.awaitState(id, RunState.RUNNING, Duration.ofSeconds(30));

        worker.close();

        assertThat(jobs.get(id).state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void aWorkerWaitsForPendingMigrationsBeforeItStarts() throws Exception {
        try (TestDatabase fresh = TestPostgres.createDatabase()) {
            org.flywaydb.core.Flyway.configure()
                    .dataSource(fresh.jdbcUrl(), fresh.username(), fresh.password())
                    .locations("classpath:db/migration")
                    .target("1")
                    .load()
                    .migrate();
            List<ConfigurableApplicationContext> started = new ArrayList<>();
            Thread starting = new Thread(() -> started.add(WorkerApps.start(fresh, "patient")));
            starting.start();
            Thread.sleep(1500);
            assertThat(started).as("still waiting for the schema").isEmpty();

            fresh.migrate();
            starting.join(20_000);
            assertThat(started).hasSize(1);
            started.get(0).close();
        }
    }

    private static int readiness(int port) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
