package ai.assay.worker.bench;

import ai.assay.core.evaluation.RunState;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerApps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How fast two whole workers (default 1 s poll, one slot each) drain short jobs, and how long a job submitted to
 * idle workers waits to be claimed, with the workers listening for PostgreSQL's notifications and with polling
 * only; both in one run. Not a test: it asserts nothing and writes docs/benchmarks/claims.md. Run with
 * {@code ASSAY_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/postgres ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=ClaimWakeUpBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class ClaimWakeUpBenchmark {

    /** {@code -Dassay.bench.jobs=2000} for the figure; 400 keeps a run near two minutes. */
    private static final int JOBS = Integer.getInteger("assay.bench.jobs", 400);

    private static final int SINGLE_SUBMISSIONS = 20;
    private static final String JOB = "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}";

    @Test
    void drainTimeAndClaimLatency() throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "Two workers, one job at a time each, `poll-interval` 1 s (the default). *Drain*: %d smoke jobs of one"
                                .formatted(JOBS)
                        + " example are queued before the workers start; the time until all have ended. *Idle"
                        + " latency*: with both workers idle, %d jobs are submitted one after the other, each when the"
                                .formatted(SINGLE_SUBMISSIONS)
                        + " one before has ended; the time from the insert's commit to the claim (`started_at -"
                        + " created_at`, both from the database clock).",
                "",
                "| workers | drain s | jobs/s | idle latency p50 ms | p95 ms | max ms |",
                "|---|---:|---:|---:|---:|---:|"));
        // -Dassay.bench.listen=false measures polling alone, e.g. on a build from before notifications
        for (String listen :
                System.getProperty("assay.bench.listen", "false,true").split(",")) {
            lines.add(round(Boolean.parseBoolean(listen)));
        }
        lines.add("");
        lines.add("Before this change a worker claimed only on its poll, also after a job ended: the issue's probe"
                + " measured 1,020 s for 2,000 jobs of 0.23 s on two workers, about one job per worker per second.");
        BenchmarkReport.write("claims.md", "Claims without waiting: notifications and re-claims", lines);
    }

    private static String round(boolean listen) throws Exception {
        try (TestDatabase database = TestPostgres.createDatabase().migrate()) {
            Jobs jobs = Jobs.smokeJobsIn(database.dataSource());
            JdbcClient jdbc = JdbcClient.create(database.dataSource());
            List<UUID> queued = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                queued.add(jobs.submit(JOB));
            }
            List<ConfigurableApplicationContext> workers = new ArrayList<>();
            String[] settings = {
                "--assay.worker.poll-interval=1s",
                "--assay.worker.listen-for-jobs=" + listen,
                "--logging.level.root=WARN"
            };
            try {
                long start = System.nanoTime();
                for (int w = 0; w < 2; w++) {
                    workers.add(WorkerApps.start(database, "bench-" + w, settings));
                }
                for (UUID id : queued) {
                    if (jobs.awaitEnd(id, Duration.ofMinutes(10)).state() != RunState.SUCCEEDED) {
                        throw new IllegalStateException("job " + id + " did not succeed");
                    }
                }
                double drain = (System.nanoTime() - start) / 1e9;

                double[] latencies = new double[SINGLE_SUBMISSIONS];
                for (int i = 0; i < SINGLE_SUBMISSIONS; i++) {
                    UUID id = jobs.submit(JOB);
                    jobs.awaitEnd(id, Duration.ofMinutes(1));
                    latencies[i] = jdbc.sql("SELECT extract(epoch FROM started_at - created_at) * 1000"
                                    + " FROM evaluation WHERE id = :id")
                            .param("id", id)
                            .query(Double.class)
                            .single();
                }
                Arrays.sort(latencies);
                return "| %s | %.1f | %.1f | %.0f | %.0f | %.0f |"
                        .formatted(
                                listen ? "listening (notifications and re-claims)" : "polling, re-claims",
                                drain,
                                JOBS / drain,
                                latencies[latencies.length / 2],
                                latencies[(int) Math.ceil(latencies.length * 0.95) - 1],
                                latencies[latencies.length - 1]);
            } finally {
                workers.forEach(ConfigurableApplicationContext::close);
            }
        }
    }
}
