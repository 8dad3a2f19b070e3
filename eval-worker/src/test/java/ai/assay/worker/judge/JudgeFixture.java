package ai.assay.worker.judge;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.testing.FreshDatabaseExtension;
import ai.assay.reference.alpacaeval.judging.OutputOrder;
import ai.assay.worker.judge.annotator.AlpacaEvalConfigFiles;
import ai.assay.worker.judge.annotator.AnnotatorCatalog;
import ai.assay.worker.judge.cache.JudgeCache;
import ai.assay.worker.judge.client.JudgeClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WireMock judge, the judge cache in a test database of the class's own and the test annotators under
 * {@code src/test/resources/judge/evaluators_configs}, to build {@link JudgeService}s from. Register it as a static
 * field with {@code @RegisterExtension}. Each test gets a new WireMock server and an empty cache: a request that a
 * finished run abandoned (the service does not wait for in-flight requests when it fails) cannot reach the next test.
 */
final class JudgeFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String API_KEY = "sk-test-0123456789abcdef";

    private final FreshDatabaseExtension database = new FreshDatabaseExtension();
    private Path cacheDir;
    private final FailFirst failFirst = new FailFirst();
    WireMockServer server;
    JdbcClient jdbc;
    JudgeCache cache;
    AnnotatorCatalog catalog;
    /** Every wait the service asked for, instead of sleeping. */
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    private final List<JudgeClient> clients = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        database.beforeAll(context);
        cacheDir = Files.createTempDirectory("judge-annotators");
        jdbc = JdbcClient.create(database.dataSource());
        cache = new JudgeCache(jdbc, new JsonColumns(JsonMapper.builder().build()));
        catalog = new AnnotatorCatalog(
                configsDir(),
                cacheDir,
                true,
                new AlpacaEvalConfigFiles(URI.create("http://localhost:1"), "0".repeat(40), 0, Duration.ZERO));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server = new WireMockServer(options().dynamicPort().extensions(failFirst));
        server.start();
        reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(JudgeClient::close);
        clients.clear();
        server.stop();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        database.afterAll(context);
        try (Stream<Path> files = Files.walk(cacheDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(JudgeFixture::delete);
        }
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path configsDir() {
        try {
            return Path.of(
                    JudgeFixture.class.getResource("/judge/evaluators_configs").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Forgets stubs, requests, waits and cached answers (done before each test). */
    void reset() {
        server.resetAll();
        failFirst.arm(0, null);
        waits.clear();
        jdbc.sql("TRUNCATE judge_cache").update();
    }

    /**
     * Makes the first {@code failures} requests to stubs that name {@link FailFirst#NAME} as a transformer get
     * {@code failure} instead of their answer.
     */
    void failFirst(int failures, ResponseDefinitionBuilder failure) {
        failFirst.arm(failures, failure.build());
    }

    JudgeService service(int concurrency) {
        return service(concurrency, 5, Duration.ofSeconds(10), Map.of());
    }

    JudgeService service(
            int concurrency, int maxAttempts, Duration timeout, Map<String, JudgeProperties.Price> prices) {
        JudgeClient client =
                new JudgeClient(JudgeStubs.baseUrl(server), API_KEY, timeout, concurrency, new SimpleMeterRegistry());
        clients.add(client);
        return new JudgeService(
                catalog,
                cache,
                () -> client,
                new JudgePricing(prices),
                new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(30)),
                concurrency,
                waits::add);
    }

    /** Example i: instruction, reference and model outputs that are unique to it. */
    static JudgeItem item(int i) {
        return new JudgeItem(
                "ex-" + i,
                "Question " + i + ": how do I do thing " + i + "?",
                "Reference answer " + i + ".",
                "reference-gen",
                "Model answer " + i + ".",
                "model-gen");
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

    /**
     * Answers the first n requests with a failure and the later ones as stubbed, with one atomic count. (A WireMock
     * scenario does not do for concurrent requests: one that reads the state while another moves it on matches no
     * stub and gets a 404.)
     */
    static final class FailFirst implements ResponseDefinitionTransformerV2 {

        static final String NAME = "fail-first";

        private final AtomicInteger left = new AtomicInteger();
        private volatile ResponseDefinition failure;

        void arm(int failures, ResponseDefinition failure) {
            this.failure = failure;
            left.set(failures);
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            return left.getAndDecrement() > 0 ? failure : serveEvent.getResponseDefinition();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
