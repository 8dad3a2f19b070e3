package ai.assay.worker.bench;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.queue.JobQueue;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claim throughput and latency of the queue with 1, 4 and 16 concurrent claimers draining 10,000 queued jobs.
 * Not a test: it asserts nothing and writes docs/benchmarks/queue.md. Run against the local PostgreSQL with
 * {@code ASSAY_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/postgres ./mvnw -B verify -pl eval-worker -am
 * -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=QueueBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class QueueBenchmark {

    private static final int JOBS = 10_000;
    private static final int[] CLAIMERS = {1, 4, 16};

    @Test
    void claimThroughputAndLatency() throws Exception {
        List<String> table = new ArrayList<>(List.of(
                "Each claimer loops on `JobQueue.claim` (one `FOR UPDATE SKIP LOCKED` statement in its own transaction,"
                        + " its own connection) until the queue is empty; 10,000 jobs are queued before each round"
                        + " (each with one task). Latency is per claim, including the read of the job's tasks.",
                "",
                "| claimers | claims/s | p50 ms | p95 ms | p99 ms | max ms | claimed |",
                "|---:|---:|---:|---:|---:|---:|---:|"));
        String server;
        try (TestDatabase database = TestPostgres.createDatabase().migrate()) {
            JdbcClient admin = JdbcClient.create(database.dataSource());
            server = admin.sql("SELECT version()").query(String.class).single();
            for (int claimers : CLAIMERS) {
                admin.sql("TRUNCATE evaluation CASCADE").update();
                admin.sql("""
                        WITH e AS (
                            INSERT INTO evaluation (model_name, model_uri, spec, priority, created_at)
                            SELECT 'bench-' || g, 'file:///models/bench', '{}', g % 3, now() + g * interval '1 microsecond'
                              FROM generate_series(1, :jobs) g
                            RETURNING id)
                        INSERT INTO evaluation_task (evaluation_id, position, name) SELECT id, 0, 'smoke' FROM e
                        """).param("jobs", JOBS).update();
                admin.sql("VACUUM ANALYZE evaluation").update();
                table.add(round(database, claimers));
            }
        }
        table.add("");
        table.add("Server: " + server + ". The database ran on the same machine as the claimers.");
        BenchmarkReport.write("queue.md", "Queue claim throughput and latency", table);
    }

    private static String round(TestDatabase database, int claimers) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(claimers);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JobQueue queue = new JobQueue(
                    JdbcClient.create(pool),
                    new JsonColumns(JsonMapper.builder().build()));
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicInteger claimed = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String owner = "bench-" + i;
                Thread thread = new Thread(() -> {
                    awaitQuietly(start);
                    while (true) {
                        long began = System.nanoTime();
                        boolean got = transactions
                                .execute(s -> queue.claim(owner, Duration.ofMinutes(5)))
                                .isPresent();
                        if (!got) {
                            return;
                        }
                        latencies.add(System.nanoTime() - began);
                        claimed.incrementAndGet();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            long began = System.nanoTime();
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            long[] sorted =
                    latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return "| %d | %.0f | %.2f | %.2f | %.2f | %.2f | %d |"
                    .formatted(
                            claimers,
                            claimed.get() / seconds,
                            percentile(sorted, 0.50),
                            percentile(sorted, 0.95),
                            percentile(sorted, 0.99),
                            sorted[sorted.length - 1] / 1e6,
                            claimed.get());
        }
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
