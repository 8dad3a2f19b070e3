package ai.assay.worker.e2e;

import static ai.assay.worker.judge.JudgeStubs.chat;
import static ai.assay.worker.judge.JudgeStubs.logprobAnswer;
import static ai.assay.worker.judge.JudgeStubs.ok;
import static ai.assay.worker.judge.JudgeStubs.requests;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.alpacaeval.AlpacaEvalFixtures;
import ai.assay.reference.lmeval.testing.TestDatasets;
import ai.assay.worker.WorkerApps;
import ai.assay.worker.engine.checkpoint.DecoderFamily;
import ai.assay.worker.engine.checkpoint.HfCheckpoint;
import ai.assay.worker.engine.prompt.TestTokenizers;
import ai.assay.worker.engine.testmodels.TinyCheckpoint;
import ai.assay.worker.engine.testmodels.TinyDecoder;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system: eval-api as a process of its own (its jar, as built by {@code ./mvnw verify} before this
 * module's tests), a worker, a tiny ONNX model on disk and a WireMock judge. An evaluation goes from
 * {@code POST /evaluations} to metrics and exports, and a second evaluation of the same checkpoint makes no judge
 * call. Skipped when the API jar has not been built.
 */
@ExtendWith(OutputCaptureExtension.class)
class FullStackTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static TestDatabase database;
    private static WireMockServer judge;
    /** The API's bootstrap admin token in this test. */
    private static final String API_TOKEN = "assay_full-stack-test-admin-token-0123456789";
    /** Recognisable secrets, searched for everywhere by {@link #noSecretAppearsInALogAResponseOrAStoredRow}. */
    private static final String JUDGE_KEY = "sk-assay-test-judge-key-7d41c9e0b2";

    private static final String CALLBACK_SECRET = "assay-test-callback-hmac-key-3a9f04";
    private static final String RECOGNISABLE_DB_PASSWORD = "assay-test-db-password-81c5e7";
    /** The database password the services use: the recognisable one where the server ignores passwords. */
    private static String databasePassword;

    private static Process api;
    private static Path apiLog;
    private static String apiUrl;
    private static ConfigurableApplicationContext worker;
    private static Path modelDirectory;
    private static Path checkpointDirectory;

    @BeforeAll
    static void startTheSystem() throws Exception {
        Path apiJar = apiJar();
        assumeTrue(apiJar != null, "eval-api's jar is not built (./mvnw -B verify builds it before these tests)");
        database = TestPostgres.createDatabase();
        databasePassword = acceptsAnyPassword(database) ? RECOGNISABLE_DB_PASSWORD : database.password();
        judge = new WireMockServer(options().dynamicPort());
        judge.start();
        judge.stubFor(chat().willReturn(ok(logprobAnswer("m", -0.2, "M", -1.8))));

        Path work = Files.createTempDirectory("assay-e2e");
        modelDirectory = Files.createDirectories(work.resolve("models/tiny-chat"));
        TestTokenizers.writeByteLevelModelFiles(modelDirectory);
        TinyDecoder.small(TinyDecoder.Layout.OPTIMUM, TestTokenizers.DEFAULT_VOCAB_SIZE)
                .writeTo(modelDirectory);
        checkpointDirectory = TinyCheckpoint.of(DecoderFamily.QWEN2)
                .withVocab(TestTokenizers.DEFAULT_VOCAB_SIZE)
                .writeTo(work.resolve("models/tiny-checkpoint/FINAL"));
        TestTokenizers.writeByteLevelModelFiles(checkpointDirectory);
        Path datasets = TestDatasets.writeTo(Files.createDirectories(work.resolve("datasets")));
        Path alpacaEval = AlpacaEvalFixtures.dataDirectory();
        List<String> data = List.of(
                "--assay.datasets.dir=" + datasets,
                "--assay.datasets.offline=true",
                "--assay.lmeval.offline=true",
                "--assay.alpaca-eval.data-dir=" + alpacaEval,
                "--assay.models.roots=" + work.resolve("models"));

        int port = freePort();
        apiUrl = "http://127.0.0.1:" + port;
        apiLog = work.resolve("api.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                apiJar.toString(),
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + databasePassword,
                "--server.port=" + port,
                "--assay.outbound.allow=127.0.0.0/8",
                "--assay.api.auth.bootstrap-token=" + API_TOKEN));
        command.addAll(data);
        api = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(apiLog.toFile())
                .start();
        awaitReady();

        List<String> workerSettings = new ArrayList<>(data);
        workerSettings.addAll(List.of(
                "--assay.judge.base-url=http://127.0.0.1:" + judge.port() + "/v1",
                "--assay.judge.api-key=" + JUDGE_KEY,
                "--spring.datasource.password=" + databasePassword,
                "--assay.worker.callback.secret=" + CALLBACK_SECRET,
                "--assay.worker.callback.poll-interval=100ms",
                "--assay.outbound.allow=127.0.0.0/8",
                "--assay.judge.offline=true",
                "--assay.judge.annotators-dir=src/test/resources/judge/evaluators_configs",
                "--assay.engine.device=cpu",
                "--assay.engine.build-cache=" + work.resolve("model-builds"),
                "--assay.engine.threads=2"));
        worker = WorkerApps.start(database, "e2e-worker", workerSettings.toArray(String[]::new));
    }

    @AfterAll
    static void stopTheSystem() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (api != null) {
            api.destroy();
            api.waitFor();
        }
        if (judge != null) {
            judge.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    private static String submission() {
        return """
                {"model": {"name": "tiny-chat-step-100", "uri": "%s", "revision": "step-100"},
                 "tasks": [
                   {"name": "alpaca_eval", "annotator": "test_judge", "limit": 4,
                    "generation": {"temperature": 0, "maxNewTokens": 8}},
                   {"name": "arc_easy", "limit": 4}],
                 "labels": {"run": "e2e"}}
                """.formatted(modelDirectory.toUri());
    }

    @Test
    void anEvaluationGoesFromSubmissionToMetricsAndExports() throws Exception {
        int judgeCallsBefore = requests(judge);
        JsonNode first = awaitEnd(submit());

        assertThat(first.get("state").stringValue()).as(first.toString()).isEqualTo("succeeded");
        Map<String, JsonNode> tasks = new HashMap<>();
        first.get("tasks").forEach(task -> tasks.put(task.get("name").stringValue(), task));
        assertThat(metricNames(tasks.get("alpaca_eval"))).contains("win_rate", "length_controlled_winrate", "n_total");
        assertThat(metricNames(tasks.get("arc_easy"))).contains("acc", "acc_norm");
        int judgeCalls = requests(judge);
        assertThat(judgeCalls - judgeCallsBefore).isBetween(1, 4);

        String id = first.get("id").stringValue();
        JsonNode outputs = MAPPER.readTree(get("/evaluations/" + id + "/tasks/alpaca_eval/outputs"));
        assertThat(outputs).hasSize(4);
        assertThat(outputs.get(0).get("generator").stringValue()).isEqualTo("tiny-chat-step-100");
        assertThat(MAPPER.readTree(get("/evaluations/" + id + "/tasks/alpaca_eval/annotations")))
                .hasSize(4);
        assertThat(get("/evaluations/" + id + "/tasks/arc_easy/samples").lines().count())
                .isEqualTo(4);
        JsonNode results = MAPPER.readTree(get("/evaluations/" + id + "/tasks/arc_easy/results"));
        assertThat(results.get("results").get("arc_easy").has("acc,none")).isTrue();

        JsonNode second = awaitEnd(submit());
        assertThat(second.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(requests(judge))
                .as("the same answers are judged from the cache")
                .isEqualTo(judgeCalls);
        assertThat(second.get("tasks").get(0).get("metrics"))
                .isEqualTo(first.get("tasks").get(0).get("metrics"));
    }

    @Test
    void aCheckpointDirectoryIsBuiltOnceAndEvaluatedAndTheEvaluationShowsTheBuild() throws Exception {
        String submission = """
                {"model": {"name": "tiny-checkpoint-final", "uri": "%s"}, "tasks": [{"name": "arc_easy", "limit": 4}]}
                """.formatted(checkpointDirectory.toUri());
        JsonNode first = awaitEnd(submit(submission));
        assertThat(first.get("state").stringValue()).as(first.toString()).isEqualTo("succeeded");
        assertThat(metricNames(first.get("tasks").get(0))).contains("acc", "acc_norm");
        JsonNode build = first.get("model").get("build");
        assertThat(build.get("reused").booleanValue()).isFalse();
        assertThat(build.get("builderVersion").stringValue()).isEqualTo(HfCheckpoint.BUILDER_VERSION);
        assertThat(build.get("operators").toString()).contains("Gemm");
        assertThat(build.get("files").toString()).contains("model.safetensors", "tokenizer.json");

        JsonNode second = awaitEnd(submit(submission));
        assertThat(second.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(second.get("model").get("build").get("reused").booleanValue())
                .as("the second evaluation of the checkpoint loads the first one's build")
                .isTrue();
        assertThat(second.get("model").get("build").get("cacheKey")).isEqualTo(build.get("cacheKey"));
        assertThat(second.get("tasks").get(0).get("metrics"))
                .isEqualTo(first.get("tasks").get(0).get("metrics"));
    }

    /**
     * The judge key, the callback secret, the API token and the database password, all set to recognisable values,
     * appear in no log line (the API's log, the worker's output), no response (results, listings, exports, the
     * audit trail, problem details), no stored row and no callback.
     */
    @Test
    void noSecretAppearsInALogAResponseOrAStoredRow(CapturedOutput output) throws Exception {
        judge.stubFor(post(urlEqualTo("/callback")).willReturn(aResponse().withStatus(204)));
        String location = submit("""
                {"model": {"name": "tiny-chat-secrets", "uri": "%s"},
                 "tasks": [{"name": "alpaca_eval", "annotator": "test_judge", "limit": 2,
                            "generation": {"temperature": 0, "maxNewTokens": 6}}],
                 "callbackUrl": "http://127.0.0.1:%d/callback"}
                """.formatted(modelDirectory.toUri(), judge.port()));
        JsonNode ended = awaitEnd(location);
        assertThat(ended.get("state").stringValue()).as(ended.toString()).isEqualTo("succeeded");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (judge.findAll(postRequestedFor(urlEqualTo("/callback"))).isEmpty()) {
            assertThat(System.nanoTime()).as("the callback was not delivered").isLessThan(deadline);
            Thread.sleep(100);
        }

        List<String> seen = new ArrayList<>();
        String id = ended.get("id").stringValue();
        for (String path : List.of(
                location,
                "/evaluations",
                "/leaderboard",
                "/leaderboard?format=csv",
                "/evaluations/" + id + "/tasks/alpaca_eval/annotations",
                "/admin/tokens",
                "/admin/audit")) {
            seen.add(get(path));
        }
        seen.add(send("POST", "/evaluations", "{\"model\": 1}", API_TOKEN).body());
        seen.add(send("GET", "/evaluations", null, null).body());
        seen.add(send("GET", "/evaluations", null, API_TOKEN + "x").body());
        for (var callback : judge.findAll(postRequestedFor(urlEqualTo("/callback")))) {
            seen.add(callback.getHeaders().toString() + callback.getBodyAsString());
        }
        for (String table : jdbc().sql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                .query(String.class)
                .list()) {
            seen.addAll(jdbc().sql("SELECT row_to_json(t)::text FROM \"" + table + "\" t")
                    .query(String.class)
                    .list());
        }
        seen.add(Files.readString(apiLog));
        seen.add(output.getAll());

        List<String> secrets = new ArrayList<>(List.of(JUDGE_KEY, CALLBACK_SECRET, API_TOKEN));
        if (!databasePassword.isEmpty()) {
            secrets.add(databasePassword);
        }
        for (String secret : secrets) {
            assertThat(seen).as("where %s could show", secret).noneMatch(text -> text.contains(secret));
        }
        assertThat(output.getAll()).as("the worker's output was captured").contains("e2e-worker");
    }

    private static JdbcClient jdbc() {
        return worker.getBean(JdbcClient.class);
    }

    private static boolean acceptsAnyPassword(TestDatabase database) {
        try (Connection connection =
                DriverManager.getConnection(database.jdbcUrl(), database.username(), RECOGNISABLE_DB_PASSWORD)) {
            return connection.isValid(5);
        } catch (SQLException refused) {
            return false;
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> metricNames(JsonNode task) {
        List<String> names = new ArrayList<>();
        task.get("metrics").forEach(metric -> names.add(metric.get("metric").stringValue()));
        return names;
    }

    private static String submit() throws Exception {
        return submit(submission());
    }

    private static String submit(String submission) throws Exception {
        HttpResponse<String> response = send("POST", "/evaluations", submission, API_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Location").orElseThrow();
    }

    private static JsonNode awaitEnd(String location) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        JsonNode evaluation = MAPPER.readTree(get(location));
        while (!List.of("succeeded", "failed", "cancelled")
                .contains(evaluation.get("state").stringValue())) {
            assertThat(System.nanoTime()).as("evaluation still %s", evaluation).isLessThan(deadline);
            Thread.sleep(250);
            evaluation = MAPPER.readTree(get(location));
        }
        return evaluation;
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(apiUrl + path))
                        .header("Authorization", "Bearer " + API_TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!api.isAlive()) {
                throw new IllegalStateException("eval-api exited during start-up:\n" + Files.readString(apiLog));
            }
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(URI.create(apiUrl + "/readyz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("eval-api was not ready in time:\n" + Files.readString(apiLog));
    }

    /** eval-api's executable jar next to this module, if it has been built. */
    private static Path apiJar() throws IOException {
        Path target = Path.of("..", "eval-api", "target").toAbsolutePath().normalize();
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "eval-api-*.jar")) {
            for (Path jar : jars) {
                if (!jar.getFileName().toString().endsWith("-tests.jar")) {
                    return jar;
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
