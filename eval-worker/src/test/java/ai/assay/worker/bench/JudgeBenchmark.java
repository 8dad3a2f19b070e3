package ai.assay.worker.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.alpacaeval.HeadToHeadAnnotation;
import ai.assay.reference.testing.BenchmarkReport;
import ai.assay.worker.judge.JudgeBudget;
import ai.assay.worker.judge.JudgeItem;
import ai.assay.worker.judge.JudgePricing;
import ai.assay.worker.judge.JudgeResult;
import ai.assay.worker.judge.JudgeService;
import ai.assay.worker.judge.JudgeSummary;
import ai.assay.worker.judge.annotator.AlpacaEvalConfigFiles;
import ai.assay.worker.judge.annotator.AnnotatorCatalog;
import ai.assay.worker.judge.cache.JudgeCache;
import ai.assay.worker.judge.client.JudgeClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judging throughput: the 805 AlpacaEval examples (the fixture's claude-2 rows: real instructions and outputs) judged
 * by a WireMock judge that answers every request after 200 ms, at 1, 8 and 32 requests in flight, with the judge
 * cache in PostgreSQL emptied before each round (so every example is a call). Not a test: it asserts nothing and
 * writes docs/benchmarks/judge.md. Run with {@code ASSAY_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/postgres
 * ./mvnw -B verify -pl eval-worker -am -Dassay.excludedGroups=none -Dgroups=benchmark -Dtest=JudgeBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class JudgeBenchmark {

    private static final int DELAY_MILLIS = 200;
    private static final int[] CONCURRENCY = {1, 8, 32};
    private static final String ANSWER = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"judge-test",
             "choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant","content":"m"},
               "logprobs":{"content":[{"token":"m","logprob":-0.2,"bytes":[109],
                 "top_logprobs":[{"token":"m","logprob":-0.2,"bytes":[109]},{"token":"M","logprob":-1.7,"bytes":[77]}]}]}}],
             "usage":{"prompt_tokens":900,"completion_tokens":1,"total_tokens":901}}
            """;

    @Test
    void judgmentsPerSecondByConcurrency() throws Exception {
        List<JudgeItem> items = new ArrayList<>();
        List<HeadToHeadAnnotation> rows = AlpacaEvalFixtures.annotations("claude-2");
        for (int i = 0; i < rows.size(); i++) {
            HeadToHeadAnnotation row = rows.get(i);
            items.add(new JudgeItem(
                    "row-" + i, row.instruction(), row.output1(), row.generator1(), row.output2(), row.generator2()));
        }
        WireMockServer judge = new WireMockServer(options().dynamicPort().containerThreads(100));
        judge.start();
        judge.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(ANSWER)
                        .withFixedDelay(DELAY_MILLIS)));
        Path configs = Path.of(
                JudgeBenchmark.class.getResource("/judge/evaluators_configs").toURI());
        Path cacheDir = Files.createTempDirectory("judge-bench");
        List<String> table = new ArrayList<>(List.of(
                "%d judgments (the AlpacaEval instructions with claude-2's and the baseline's outputs) with the test"
                                .formatted(items.size())
                        + " annotator `test_judge` (logprob parser) against a WireMock judge"
                        + " that answers every request after a fixed " + DELAY_MILLIS + " ms. The judge cache"
                        + " (PostgreSQL) is emptied before each round, so every judgment is one call; each is looked"
                        + " up, parsed, mapped back and written to the cache. Latency is per call, as the client saw"
                        + " it.",
                "",
                "| requests in flight | wall time s | judgments/s | speed-up vs 1 | p50 ms | p95 ms | calls |",
                "|---:|---:|---:|---:|---:|---:|---:|"));
        String server;
        double serial = 0;
        try (TestDatabase database = TestPostgres.createDatabase().migrate()) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.jdbcUrl());
            config.setUsername(database.username());
            config.setPassword(database.password());
            config.setMaximumPoolSize(40);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                JdbcClient jdbc = JdbcClient.create(pool);
                server = jdbc.sql("SELECT version()").query(String.class).single();
                JudgeCache cache = new JudgeCache(
                        jdbc, new JsonColumns(JsonMapper.builder().build()));
                AnnotatorCatalog catalog = new AnnotatorCatalog(
                        configs,
                        cacheDir,
                        true,
                        new AlpacaEvalConfigFiles(URI.create("http://localhost:1"), "0".repeat(40), 0, Duration.ZERO));
                for (int concurrency : CONCURRENCY) {
                    jdbc.sql("TRUNCATE judge_cache").update();
                    try (JudgeClient client = new JudgeClient(
                            URI.create("http://localhost:" + judge.port() + "/v1"),
                            "bench",
                            Duration.ofSeconds(30),
                            concurrency,
                            new SimpleMeterRegistry())) {
                        JudgeService service = new JudgeService(
                                catalog,
                                cache,
                                () -> client,
                                new JudgePricing(Map.of()),
                                RetryPolicy.of(3, Duration.ofSeconds(1), Duration.ofSeconds(10)),
                                concurrency,
                                2);
                        List<Integer> latencies = new ArrayList<>();
                        long began = System.nanoTime();
                        JudgeSummary summary = service.judge(
                                "test_judge",
                                items,
                                JudgeBudget.unlimited(),
                                (JudgeResult r) -> {
                                    if (r.latencyMillis() != null) {
                                        latencies.add(r.latencyMillis());
                                    }
                                },
                                () -> {});
                        double seconds = (System.nanoTime() - began) / 1e9;
                        if (concurrency == 1) {
                            serial = seconds;
                        }
                        latencies.sort(Integer::compare);
                        table.add("| %d | %.1f | %.1f | %.1f× | %d | %d | %d |"
                                .formatted(
                                        concurrency,
                                        seconds,
                                        items.size() / seconds,
                                        serial / seconds,
                                        percentile(latencies, 0.50),
                                        percentile(latencies, 0.95),
                                        summary.calls()));
                    }
                }
            }
        } finally {
            judge.stop();
        }
        table.add("");
        table.add("Identical outputs are ties without a call, so `calls` can be below the number of judgments."
                + " The ideal speed-up is the number of requests in flight; the serial round also pays for the"
                + " JVM's warm-up (class loading, JIT, first connections), which is why a measured speed-up can"
                + " exceed it. Client, WireMock and PostgreSQL share the machine's cores. Server: " + server + ".");
        BenchmarkReport.write("judge.md", "Judge throughput by concurrency", table);
    }

    private static int percentile(List<Integer> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index));
    }
}
