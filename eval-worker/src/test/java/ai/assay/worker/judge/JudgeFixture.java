package ai.assay.worker.judge;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.retry.RetryPolicy;
import ai.assay.core.retry.Sleeper;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
 * field with {@code @RegisterExtension}. Each test gets a new WireMock server, an empty cache and a list of waits of
 * its own, so that nothing one test left (a row, a request, a wait) is seen by the next.
 */
final class JudgeFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String API_KEY = "sk-test-0123456789abcdef";
    /** The services' re-asks of an unparsable answer unless a test names its own: the setting's default. */
    static final int UNPARSABLE_REASKS = 2;

    private final FreshDatabaseExtension database = new FreshDatabaseExtension();
    private Path cacheDir;
    private final FailFirst failFirst = new FailFirst();
    private final Gate gate = new Gate();
    private final Tally tally = new Tally();
    WireMockServer server;
    JdbcClient jdbc;
    JudgeCache cache;
    AnnotatorCatalog catalog;
    /** Every wait the services of this test asked for, instead of sleeping; a new list for each test. */
    volatile List<Duration> waits = newWaits();

    private final List<JudgeClient> clients = new ArrayList<>();
    private Set<Thread> threadsBefore = Set.of();

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
        server = new WireMockServer(options().dynamicPort().extensions(failFirst, gate, tally));
        server.start();
        threadsBefore = judgeThreads();
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
        gate.hold(new CountDownLatch(0));
        tally.count.set(0);
        waits = newWaits();
        jdbc.sql("TRUNCATE judge_cache").update();
    }

    private static List<Duration> newWaits() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    /** A sleeper that records each wait in this test's {@link #waits} instead of taking it. */
    Sleeper recordingSleeper() {
        List<Duration> mine = waits;
        return (duration, stop) -> mine.add(duration);
    }

    /**
     * Makes the first {@code failures} requests to stubs that name {@link FailFirst#NAME} as a transformer get
     * {@code failure} instead of their answer.
     */
    void failFirst(int failures, ResponseDefinitionBuilder failure) {
        failFirst.arm(failures, failure.build());
    }

    /**
     * How many requests the stubs that name {@link Tally#NAME} as a transformer have answered, counted before each
     * answer is sent (WireMock's request journal may log a request only after its answer has gone out).
     */
    int tallied() {
        return tally.count.get();
    }

    /** Makes the answers of stubs that name {@link Gate#NAME} as a transformer wait until {@code open} is counted down. */
    void holdGatedAnswersUntil(CountDownLatch open) {
        gate.hold(open);
    }

    /**
     * The threads of this test's judge runs that are still alive (none should be once {@code judge} has returned);
     * threads alive before the test began are not counted, so one test's leftovers cannot fail another.
     */
    List<String> liveJudgeThreads() {
        return judgeThreads().stream()
                .filter(thread -> !threadsBefore.contains(thread))
                .map(Thread::getName)
                .toList();
    }

    private static Set<Thread> judgeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("judge-"))
                .collect(Collectors.toSet());
    }

    JudgeService service(int concurrency) {
        return service(concurrency, 5, Duration.ofSeconds(10), Map.of());
    }

    JudgeService service(
            int concurrency, int maxAttempts, Duration timeout, Map<String, JudgeProperties.Price> prices) {
        return service(concurrency, maxAttempts, timeout, prices, recordingSleeper());
    }

    JudgeService service(
            int concurrency,
            int maxAttempts,
            Duration timeout,
            Map<String, JudgeProperties.Price> prices,
            Sleeper sleeper) {
        return service(concurrency, maxAttempts, timeout, prices, sleeper, UNPARSABLE_REASKS);
    }

    /** A service that asks an unparsable answer again {@code unparsableReasks} times. */
    JudgeService serviceWithReasks(int concurrency, int unparsableReasks) {
        return service(concurrency, 5, Duration.ofSeconds(10), Map.of(), recordingSleeper(), unparsableReasks);
    }

    JudgeService service(
            int concurrency,
            int maxAttempts,
            Duration timeout,
            Map<String, JudgeProperties.Price> prices,
            Sleeper sleeper,
            int unparsableReasks) {
        JudgeClient client =
                new JudgeClient(JudgeStubs.baseUrl(server), API_KEY, timeout, concurrency, new SimpleMeterRegistry());
        clients.add(client);
        return new JudgeService(
                catalog,
                cache,
                () -> client,
                new JudgePricing(prices),
                RetryPolicy.of(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(30))
                        .withSleeper(sleeper),
                concurrency,
                unparsableReasks);
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

    /**
     * Holds each answer of the stubs that name it until the test opens the gate, so that a test can order what the
     * server answers after what the service does (a latch, no sleep).
     */
    static final class Gate implements ResponseDefinitionTransformerV2 {

        static final String NAME = "gate";

        private volatile CountDownLatch open = new CountDownLatch(0);

        void hold(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            try {
                if (!open.await(30, TimeUnit.SECONDS)) {
                    return ResponseDefinition.notConfigured(); // a test that never opens its gate fails, not hangs
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return serveEvent.getResponseDefinition();
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

    /** Counts the requests of the stubs that name it, before their answers are sent. */
    static final class Tally implements ResponseDefinitionTransformerV2 {

        static final String NAME = "tally";

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            count.incrementAndGet();
            return serveEvent.getResponseDefinition();
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
