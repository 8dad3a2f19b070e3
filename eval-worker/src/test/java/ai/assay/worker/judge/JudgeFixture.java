package ai.assay.worker.judge;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.assay.core.alpacaeval.judging.OutputOrder;
import ai.assay.core.json.JsonColumns;
import ai.assay.worker.judge.annotator.AlpacaEvalConfigFiles;
import ai.assay.worker.judge.annotator.AnnotatorCatalog;
import ai.assay.worker.judge.cache.JudgeCache;
import ai.assay.worker.judge.client.JudgeClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WireMock judge, the judge cache in a test database and the test annotators under
 * {@code src/test/resources/judge/evaluators_configs}, to build {@link JudgeService}s from.
 */
final class JudgeFixture implements AutoCloseable {

    static final String API_KEY = "sk-test-0123456789abcdef";

    final WireMockServer server;
    final JdbcClient jdbc;
    final JudgeCache cache;
    final AnnotatorCatalog catalog;
    /** Every wait the service asked for, instead of sleeping. */
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<JudgeClient> clients = new ArrayList<>();

    JudgeFixture(DataSource dataSource, Path cacheDir) {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        jdbc = JdbcClient.create(dataSource);
        cache = new JudgeCache(jdbc, new JsonColumns(JsonMapper.builder().build()));
        catalog = new AnnotatorCatalog(configsDir(), cacheDir, true,
                new AlpacaEvalConfigFiles(URI.create("http://localhost:1"), "0".repeat(40)));
    }

    static Path configsDir() {
        try {
            return Path.of(JudgeFixture.class.getResource("/judge/evaluators_configs").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    void reset() {
        server.resetAll();
        waits.clear();
        jdbc.sql("TRUNCATE judge_cache").update();
    }

    JudgeService service(int concurrency) {
        return service(concurrency, 5, Duration.ofSeconds(10), Map.of());
    }

    JudgeService service(int concurrency, int maxAttempts, Duration timeout,
            Map<String, JudgeProperties.Price> prices) {
        JudgeClient client = new JudgeClient(JudgeStubs.baseUrl(server), API_KEY, timeout, concurrency,
                new SimpleMeterRegistry());
        clients.add(client);
        return new JudgeService(catalog, cache, () -> client, new JudgePricing(prices),
                new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(30)), concurrency,
                waits::add);
    }

    /** Example i: instruction, reference and model outputs that are unique to it. */
    static JudgeItem item(int i) {
        return new JudgeItem("ex-" + i, "Question " + i + ": how do I do thing " + i + "?",
                "Reference answer " + i + ".", "reference-gen", "Model answer " + i + ".", "model-gen");
    }

    static List<JudgeItem> items(int n) {
        List<JudgeItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(item(i));
        }
        return items;
    }

    static boolean switched(JudgeItem item) {
        return OutputOrder.isSwitched(item.instruction());
    }

    @Override
    public void close() {
        clients.forEach(JudgeClient::close);
        server.stop();
    }
}
