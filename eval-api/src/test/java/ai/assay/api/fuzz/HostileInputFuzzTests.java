package ai.assay.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient;
import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.api.AssayApiApplication;
import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestHosts;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Sends hostile values to every field of every body and to every query parameter, and holds the API to two rules:
 * no input gives a 5xx, and a refused request stores nothing (the row count of every table is unchanged); every
 * refusal outside the web pages is a problem.
 *
 * <p>jqwik properties with fixed seeds, so that every run sends the same inputs and a failure names (and shrinks)
 * the input that caused it: any Unicode string (NUL and lone surrogates included), numbers at and beyond every
 * range, wrong JSON types, deep nesting, duplicate keys, long text. The API runs on a random port over a fresh
 * database the container starts itself, since jqwik has no Spring test context.
 */
class HostileInputFuzzTests {

    private static final int TRIES = 150;

    /** Read once: every import try starts from these real records. */
    private static final JsonNode ANNOTATIONS = AlpacaEvalFixtures.annotationsJson("claude-2");

    private static TestDatabase database;
    private static ConfigurableApplicationContext context;
    private static ApiClient api;
    private static JdbcClient jdbc;
    private static final AtomicInteger tried = new AtomicInteger();
    private static final AtomicInteger fiveHundreds = new AtomicInteger();
    private static final AtomicInteger storedOnRejection = new AtomicInteger();

    @BeforeContainer
    static void startTheApi() {
        database = TestPostgres.createDatabase();
        // TestHosts: hostile callback URLs are never looked up in DNS
        context = new SpringApplicationBuilder(AssayApiApplication.class, TestHosts.class)
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + database.jdbcUrl(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--assay.datasets.offline=true",
                        "--assay.lmeval.offline=true",
                        "--assay.api.auth.bootstrap-token=" + ApiIntegrationTest.ADMIN_TOKEN,
                        "--assay.api.rate-limit.requests-per-minute=0",
                        "--assay.models.roots=/models",
                        "--assay.alpaca-eval.data-dir=" + AlpacaEvalFixtures.dataDirectory());
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        api = new ApiClient(port, ApiIntegrationTest.ADMIN_TOKEN);
        jdbc = context.getBean(JdbcClient.class);
        assertThat(api.postJson("/evaluations", smokeEvaluation()).status()).isEqualTo(202);
    }

    @AfterContainer
    static void stopTheApi() {
        System.out.printf(
                "Hostile-input fuzzing: %d inputs, %d answered 5xx, %d refused requests stored rows%n",
                tried.get(), fiveHundreds.get(), storedOnRejection.get());
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Property(tries = TRIES, seed = "20261207", afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void noHostileSubmissionGivesA5xxOrStoresAnything(
            @ForAll("submissionFields") String field, @ForAll("hostileJson") String value) {
        String body = submissionWith(field, value);
        check("POST /evaluations, " + field, () -> api.postJson("/evaluations", body), body);
    }

    @Property(tries = TRIES, seed = "20261208", afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void noHostileImportGivesA5xxOrStoresAnything(
            @ForAll("importFields") String field,
            @ForAll @IntRange(min = 0, max = 19) int record,
            @ForAll("hostileJson") String value) {
        String body = importWith(field, record, value);
        check("POST /imports/alpaca-eval, " + field, () -> api.postJson("/imports/alpaca-eval", body), body);
    }

    @Property(tries = TRIES, seed = "20261209", afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void noHostileQueryParameterGivesA5xxOrStoresAnything(
            @ForAll("queryParameters") String endpointAndParameter, @ForAll("hostileText") String value) {
        boolean post = endpointAndParameter.endsWith("/cancel");
        String path = post ? endpointAndParameter.replace("{id}", encode(value)) : endpointAndParameter + encode(value);
        check((post ? "POST " : "GET ") + endpointAndParameter, () -> post ? api.postEmpty(path) : api.get(path), path);
    }

    @Property(tries = TRIES, seed = "20261210", afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void noHostileCredentialGetsInOrGivesA5xx(
            @ForAll("hostileText") String value, @ForAll boolean asBearer, @ForAll boolean mutation) {
        String header = (asBearer ? "Bearer " : "") + value;
        if (!header.chars().allMatch(c -> c >= 0x20 && c < 0x7f) || header.isBlank()) {
            // java.net.http sends only printable ASCII in headers
            header = "Bearer " + encode(value);
        }
        String credential = header;
        ApiClient anonymous = api.anonymous();
        Supplier<Response> send = mutation
                ? () -> anonymous.request(
                        "POST",
                        "/evaluations",
                        smokeEvaluation(),
                        "Content-Type",
                        "application/json",
                        "Authorization",
                        credential)
                : () -> anonymous.request("GET", "/evaluations", null, "Authorization", credential);
        check(
                (mutation ? "POST" : "GET") + " /evaluations, Authorization",
                () -> {
                    Response response = send.get();
                    assertThat(response.status()).as(credential).isEqualTo(401);
                    return response;
                },
                credential);
    }

    @Provide
    Arbitrary<String> submissionFields() {
        return Arbitraries.of(
                "body",
                "/model",
                "/model/name",
                "/model/uri",
                "/model/revision",
                "/model/chatTemplate",
                "/tasks",
                "/tasks/0",
                "/tasks/0/name",
                "/tasks/0/examples",
                "/tasks/0/outputs",
                "/labels",
                "/labels/run",
                "/priority",
                "/callbackUrl",
                "/extra");
    }

    @Provide
    Arbitrary<String> importFields() {
        return Arbitraries.of(
                "/model",
                "/annotator",
                "/labels",
                "/annotations",
                "instruction",
                "output_1",
                "output_2",
                "preference",
                "generator_1",
                "price_per_example",
                "time_per_example",
                "raw_completion");
    }

    @Provide
    Arbitrary<String> queryParameters() {
        return Arbitraries.of(
                "/evaluations?state=",
                "/evaluations?model=",
                "/evaluations?label=",
                "/evaluations?page=",
                "/evaluations?size=",
                "/leaderboard?task=",
                "/leaderboard?annotator=",
                "/leaderboard?label=",
                "/leaderboard?evaluations=",
                "/leaderboard?sort=",
                "/leaderboard?order=",
                "/leaderboard?format=",
                "/leaderboard?page=",
                "/leaderboard?size=",
                "/comparisons?a=m&b=",
                "/comparisons?a=m&b=n&task=",
                "/comparisons?a=m&b=n&metric=",
                "/comparisons?a=m&b=n&page=",
                "/tasks?family=",
                "/ui/leaderboard?task=",
                "/ui/leaderboard?page=",
                "/ui/comparisons?a=m&b=",
                "/ui/evaluations?model=",
                "/evaluations/",
                "/tasks/",
                "/ui/evaluations/",
                "/problems/",
                "/evaluations/{id}/cancel");
    }

    @Provide
    Arbitrary<String> hostileJson() {
        return hostileJsonValues();
    }

    @Provide
    Arbitrary<String> hostileText() {
        return hostileStrings();
    }

    private static String submissionWith(String field, String v) {
        String model = "{\"name\": \"m\", \"uri\": \"/models/m\"}";
        return switch (field) {
            case "body" -> v;
            case "/model" -> submission(v, "\"smoke\"", "3", "{}", "0", "null");
            case "/model/name" ->
                submission("{\"name\": " + v + ", \"uri\": \"/models/m\"}", "\"smoke\"", "3", "{}", "0", "null");
            case "/model/uri" ->
                submission("{\"name\": \"m\", \"uri\": " + v + "}", "\"smoke\"", "3", "{}", "0", "null");
            case "/model/revision" ->
                submission(
                        "{\"name\": \"m\", \"uri\": \"/models/m\", \"revision\": " + v + "}",
                        "\"smoke\"",
                        "3",
                        "{}",
                        "0",
                        "null");
            case "/model/chatTemplate" ->
                submission(
                        "{\"name\": \"m\", \"uri\": \"/models/m\", \"chatTemplate\": " + v + "}",
                        "\"smoke\"",
                        "3",
                        "{}",
                        "0",
                        "null");
            case "/tasks" -> "{\"model\": " + model + ", \"tasks\": " + v + "}";
            case "/tasks/0" -> "{\"model\": " + model + ", \"tasks\": [" + v + "]}";
            case "/tasks/0/name" -> submission(model, v, "3", "{}", "0", "null");
            case "/tasks/0/examples" -> submission(model, "\"smoke\"", v, "{}", "0", "null");
            case "/tasks/0/outputs" ->
                "{\"model\": " + model + ", \"tasks\": [{\"name\": \"alpaca_eval\", \"outputs\": " + v + "}]}";
            case "/labels" -> submission(model, "\"smoke\"", "3", v, "0", "null");
            case "/labels/run" -> submission(model, "\"smoke\"", "3", "{\"run\": " + v + "}", "0", "null");
            case "/priority" -> submission(model, "\"smoke\"", "3", "{}", v, "null");
            case "/callbackUrl" -> submission(model, "\"smoke\"", "3", "{}", "0", v);
            default -> "{\"model\": " + model + ", \"tasks\": [{\"name\": \"smoke\"}], " + jsonString(v) + ": 1}";
        };
    }

    private static String importWith(String field, int record, String value) {
        JsonNode annotations = ANNOTATIONS;
        Map<String, String> top = field.startsWith("/") ? Map.of(field.substring(1), value) : Map.of();
        return importBody(annotations, top, field.startsWith("/") ? -1 : record, field, value);
    }

    private static String smokeEvaluation() {
        return "{\"model\": {\"name\": \"existing\", \"uri\": \"file:///models/existing\"},"
                + " \"tasks\": [{\"name\": \"smoke\", \"examples\": 3}]}";
    }

    private static void check(String where, Supplier<Response> send, String input) {
        Map<String, Long> before = allRowCounts();
        Response response = send.get();
        tried.incrementAndGet();
        String shown = input.length() > 300 ? input.substring(0, 300) + "..." : input;
        if (response.status() >= 500) {
            fiveHundreds.incrementAndGet();
        }
        assertThat(response.status())
                .as("%s answered %s for %s", where, response.body(), shown)
                .isLessThan(500);
        if (response.status() >= 400 && !allRowCounts().equals(before)) {
            storedOnRejection.incrementAndGet();
            throw new AssertionError("%s -> %d stored rows for %s".formatted(where, response.status(), shown));
        }
        // Web pages answer their errors as HTML pages; everything else, Tomcat's own refusals of a hostile path
        // segment (%00, %2F) included, is a problem.
        if (response.status() >= 400 && !where.startsWith("GET /ui")) {
            assertThat(response.isProblem())
                    .as("%s -> %d is a problem for %s", where, response.status(), shown)
                    .isTrue();
        }
    }

    /**
     * Every table of the schema but Flyway's history and the audit trail, which records refused attempts by
     * design.
     */
    private static Map<String, Long> allRowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<String> tables = jdbc.sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                        + " AND tablename NOT IN ('flyway_schema_history', 'audit_event') ORDER BY tablename")
                .query(String.class)
                .list();
        for (String table : tables) {
            counts.put(
                    table,
                    jdbc.sql("SELECT count(*) FROM \"" + table + "\"")
                            .query(Long.class)
                            .single());
        }
        return counts;
    }

    private static String submission(
            String model, String taskName, String examples, String labels, String priority, String callbackUrl) {
        return "{\"model\": %s, \"tasks\": [{\"name\": %s, \"examples\": %s}], \"labels\": %s, \"priority\": %s,"
                        .formatted(model, taskName, examples, labels, priority)
                + " \"callbackUrl\": " + callbackUrl + "}";
    }

    private static String importBody(
            JsonNode annotations, Map<String, String> top, int record, String field, String value) {
        StringBuilder records = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            if (i > 0) {
                records.append(", ");
            }
            String json = annotations.get(i).toString();
            if (i == record && field.equals("/annotations")) {
                continue;
            }
            if (i == record) {
                json = "{\"" + field + "\": " + value + ", " + json.substring(1);
            }
            records.append(json);
        }
        records.append("]");
        return "{\"model\": %s, \"annotator\": %s, \"labels\": %s, \"annotations\": %s}"
                .formatted(
                        top.getOrDefault("model", "\"fuzzed\""),
                        top.getOrDefault("annotator", "\"weighted_alpaca_eval_gpt4_turbo\""),
                        top.getOrDefault("labels", "{}"),
                        top.getOrDefault("annotations", records.toString()));
    }

    /**
     * JSON values of every shape, and of the right shape with hostile content: strings are written with every
     * non-ASCII character escaped, so lone surrogates reach the server as the JSON text {@code "\ud800"} does.
     */
    private static Arbitrary<String> hostileJsonValues() {
        Arbitrary<String> strings = hostileStrings().map(HostileInputFuzzTests::jsonString);
        Arbitrary<String> integers = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40))
                .map(BigInteger::toString);
        Arbitrary<String> edgeNumbers = Arbitraries.of(
                "2147483648", "-2147483649", "9223372036854775808", "1e29", "1e309", "-0", "0.5", "1E400", "-1e-400");
        Arbitrary<String> doubles = Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "1e999");
        Arbitrary<String> literals = Arbitraries.of("true", "false", "null", "[]", "{}", "[null]", "{\"\": null}");
        Arbitrary<String> nesting =
                Arbitraries.integers().between(1, 3000).map(depth -> "[".repeat(depth) + "]".repeat(depth));
        Arbitrary<String> duplicates = Arbitraries.of("{\"a\": 1, \"a\": 2}", "{\"name\": \"smoke\", \"name\": 1}");
        Arbitrary<String> longText =
                Arbitraries.integers().between(1_000, 200_000).map(n -> jsonString("x".repeat(n)));
        return Arbitraries.frequencyOf(
                Tuple.of(5, strings),
                Tuple.of(2, integers),
                Tuple.of(2, edgeNumbers),
                Tuple.of(1, doubles),
                Tuple.of(2, literals),
                Tuple.of(1, nesting),
                Tuple.of(1, duplicates),
                Tuple.of(1, longText));
    }

    private static Arbitrary<String> hostileStrings() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> tricky = Arbitraries.of(
                "\u0000",
                "a\u0000b",
                "\ud800",
                "\udc00x",
                "=HYPERLINK(\"x\")",
                "../../etc/passwd",
                "file:///etc/passwd",
                "http://127.0.0.1:5432/",
                "%00",
                "'; DROP TABLE evaluation; --",
                "run:",
                ":x",
                "999999999999999999999",
                "-1",
                "\u202e\ufeff\uffff");
        return Arbitraries.oneOf(any, tricky);
    }

    private static String jsonString(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append("\\u%04x".formatted((int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
