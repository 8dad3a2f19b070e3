package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.api.RawHttp;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad submission gets its documented problem, names the offending field, and stores nothing.
 */
class RejectedSubmissionTests extends ApiIntegrationTest {

    private static final String MODEL = "\"model\": {\"name\": \"m\", \"uri\": \"/models/m\"}";
    private static final String TASKS = "\"tasks\": [{\"name\": \"smoke\"}]";

    private Map<String, Long> before;

    @LocalServerPort
    private int port;

    @BeforeEach
    void storeOneEvaluationAndCountRows() {
        assertThat(api.postJson("/evaluations", smokeEvaluation("existing")).status())
                .isEqualTo(202);
        before = rowCounts();
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                arguments("malformed JSON", "{\"model\": {", 400, "malformed-json", null),
                arguments("trailing garbage", "{" + MODEL + ", " + TASKS + "} x", 400, "malformed-json", null),
                arguments("not an object", "[1, 2]", 400, "invalid-type", ""),
                arguments("no model", "{" + TASKS + "}", 400, "missing-field", "/model"),
                arguments(
                        "no model name",
                        "{\"model\": {\"uri\": \"/m\"}, " + TASKS + "}",
                        400,
                        "missing-field",
                        "/model/name"),
                arguments(
                        "empty model name",
                        "{\"model\": {\"name\": \"\", \"uri\": \"/m\"}, " + TASKS + "}",
                        400,
                        "missing-field",
                        "/model/name"),
                arguments(
                        "no model uri",
                        "{\"model\": {\"name\": \"m\"}, " + TASKS + "}",
                        400,
                        "missing-field",
                        "/model/uri"),
                arguments("no tasks", "{" + MODEL + "}", 400, "missing-field", "/tasks"),
                arguments("empty tasks", "{" + MODEL + ", \"tasks\": []}", 400, "missing-field", "/tasks"),
                arguments(
                        "task without a name",
                        "{" + MODEL + ", \"tasks\": [{\"examples\": 3}]}",
                        400,
                        "missing-field",
                        "/tasks/0/name"),
                arguments(
                        "unknown task",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\"}, {\"name\": \"mmlu_pro\"}]}",
                        400,
                        "unknown-task",
                        "/tasks/1/name"),
                arguments(
                        "unknown option",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\", \"examplez\": 3}]}",
                        400,
                        "unknown-option",
                        "/tasks/0/examplez"),
                arguments(
                        "option out of range",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\", \"examples\": -1}]}",
                        400,
                        "out-of-range",
                        "/tasks/0/examples"),
                arguments(
                        "option of the wrong type",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\", \"examples\": \"3\"}]}",
                        400,
                        "invalid-type",
                        "/tasks/0/examples"),
                arguments(
                        "duplicate task",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\"}, {\"name\": \"smoke\"}]}",
                        400,
                        "duplicate-task",
                        "/tasks/1/name"),
                arguments(
                        "priority out of range",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 5000}",
                        400,
                        "out-of-range",
                        "/priority"),
                arguments(
                        "priority of the wrong type",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": \"high\"}",
                        400,
                        "invalid-type",
                        "/priority"),
                arguments(
                        "fractional priority",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 1.5}",
                        400,
                        "invalid-type",
                        "/priority"),
                arguments(
                        "unknown field",
                        "{" + MODEL + ", " + TASKS + ", \"lables\": {}}",
                        400,
                        "unknown-field",
                        "/lables"),
                arguments(
                        "unknown model field",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"/m\", \"path\": \"/m\"}, " + TASKS + "}",
                        400,
                        "unknown-field",
                        "/model/path"),
                arguments(
                        "unsupported model scheme",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"s3://bucket/m\"}, " + TASKS + "}",
                        400,
                        "invalid-model-uri",
                        "/model/uri"),
                arguments(
                        "relative model path",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"models/m\"}, " + TASKS + "}",
                        400,
                        "invalid-model-uri",
                        "/model/uri"),
                arguments(
                        "relative adapter path",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"/models/m\", \"adapter\": \"lora/m\"}, " + TASKS
                                + "}",
                        400,
                        "invalid-model-uri",
                        "/model/adapter"),
                arguments(
                        "adapter URI of another scheme",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"/models/m\", \"adapter\": \"hf://org/lora\"}, "
                                + TASKS + "}",
                        400,
                        "invalid-model-uri",
                        "/model/adapter"),
                arguments(
                        "file URI with a host",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"file://nas/models/m\"}, " + TASKS + "}",
                        400,
                        "invalid-model-uri",
                        "/model/uri"),
                arguments(
                        "bad label key",
                        "{" + MODEL + ", " + TASKS + ", \"labels\": {\"run:id\": \"x\"}}",
                        400,
                        "invalid-value",
                        "/labels/run:id"),
                arguments(
                        "label that is not a string",
                        "{" + MODEL + ", " + TASKS + ", \"labels\": {\"run\": [1]}}",
                        400,
                        "invalid-type",
                        "/labels/run"),
                arguments(
                        "bad callback URL",
                        "{" + MODEL + ", " + TASKS + ", \"callbackUrl\": \"ftp://x/y\"}",
                        400,
                        "invalid-value",
                        "/callbackUrl"),
                arguments(
                        "callback URL with a port beyond 65535",
                        "{" + MODEL + ", " + TASKS + ", \"callbackUrl\": \"http://example.com:99999/done\"}",
                        400,
                        "invalid-value",
                        "/callbackUrl"),
                arguments(
                        "priority beyond the int range",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 3000000000}",
                        400,
                        "out-of-range",
                        "/priority"),
                arguments(
                        "priority beyond the long range",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 100000000000000000000000000000}",
                        400,
                        "out-of-range",
                        "/priority"),
                arguments(
                        "priority written 1e29",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 1e29}",
                        400,
                        "invalid-type",
                        "/priority"),
                arguments(
                        "NUL in the model name",
                        "{\"model\": {\"name\": \"m\\u0000x\", \"uri\": \"/models/m\"}, " + TASKS + "}",
                        400,
                        "invalid-value",
                        "/model/name"),
                arguments(
                        "NUL in a label key",
                        "{" + MODEL + ", " + TASKS + ", \"labels\": {\"a\\u0000\": \"x\"}}",
                        400,
                        "invalid-value",
                        "/labels"),
                arguments(
                        "NUL in a label value",
                        "{" + MODEL + ", " + TASKS + ", \"labels\": {\"run\": \"\\u0000\"}}",
                        400,
                        "invalid-value",
                        "/labels/run"),
                arguments(
                        "NUL in a task option",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\", \"note\": \"\\u0000\"}]}",
                        400,
                        "invalid-value",
                        "/tasks/0/note"),
                arguments(
                        "a lone high surrogate in the model name",
                        "{\"model\": {\"name\": \"m\\ud800\", \"uri\": \"/models/m\"}, " + TASKS + "}",
                        400,
                        "invalid-value",
                        "/model/name"),
                arguments(
                        "a lone low surrogate in the revision",
                        "{\"model\": {\"name\": \"m\", \"uri\": \"/models/m\", \"revision\": \"\\udc00x\"}, " + TASKS
                                + "}",
                        400,
                        "invalid-value",
                        "/model/revision"),
                arguments(
                        "a number where the model name belongs",
                        "{\"model\": {\"name\": 42, \"uri\": \"/models/m\"}, " + TASKS + "}",
                        400,
                        "invalid-type",
                        "/model/name"),
                arguments(
                        "true where the callback URL belongs",
                        "{" + MODEL + ", " + TASKS + ", \"callbackUrl\": true}",
                        400,
                        "invalid-type",
                        "/callbackUrl"),
                arguments(
                        "a number as a label value",
                        "{" + MODEL + ", " + TASKS + ", \"labels\": {\"step\": 1000}}",
                        400,
                        "invalid-type",
                        "/labels/step"),
                arguments(
                        "fewshotAsMultiturn without a chat template",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"arc_easy\", \"fewshotAsMultiturn\": true}]}",
                        400,
                        "invalid-value",
                        "/tasks/0/fewshotAsMultiturn"),
                arguments(
                        "a duplicate key",
                        "{" + MODEL + ", " + TASKS + ", \"priority\": 1, \"priority\": 2}",
                        400,
                        "malformed-json",
                        null),
                arguments(
                        "a duplicate key in a task",
                        "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\", \"name\": \"mmlu\"}]}",
                        400,
                        "malformed-json",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badBodiesGetTheirProblemAndStoreNothing(String name, String body, int status, String type, String pointer) {
        Response response = api.postJson("/evaluations", body);

        assertProblem(response, status, type);
        if (pointer != null) {
            JsonNode error = response.json().get("errors").get(0);
            assertThat(error.get("pointer").stringValue()).isEqualTo(pointer);
            assertThat(error.get("type").stringValue()).isEqualTo("/problems/" + type);
            assertThat(error.get("detail").stringValue()).isNotBlank();
        }
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void reportsEveryProblemOfABodyAtOnce() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "", "uri": "s3://b/m"}, "priority": -2000,
                 "tasks": [{"name": "smoke", "examples": -5}, {"name": "nope"}]}
                """);

        assertProblem(response, 400, "missing-field");
        assertThat(response.json().get("errors"))
                .extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder(
                        "/model/name", "/priority", "/model/uri", "/tasks/0/examples", "/tasks/1/name");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void anAdapterWithoutTheCheckpointItAdaptsIsRefused() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "m", "adapter": "/models/lora"},
                 "tasks": [{"name": "smoke"}]}
                """);

        assertProblem(response, 400, "missing-field");
        assertThat(response.json().get("errors")).anySatisfy(e -> {
            assertThat(e.get("pointer").stringValue()).isEqualTo("/model/uri");
            assertThat(e.get("detail").stringValue()).contains("'adapter'");
        });
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWithContentLength() {
        Response response = api.postJson("/evaluations", oversizedBody());

        assertProblem(response, 413, "body-too-large");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWhileReading() {
        Response response = api.postChunked("/evaluations", oversizedBody());

        assertProblem(response, 413, "body-too-large");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aBodyJustUnderTheLimitIsRead() {
        String padding = "x".repeat(1024 * 1024 - 200);
        Response response = api.postChunked(
                "/evaluations", "{" + MODEL + ", " + TASKS + ", \"labels\": {\"pad\": \"" + padding + "\"}}");

        assertThat(response.status())
                .as("read in full, then rejected for the label's length")
                .isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/labels/pad");
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
        Response response = api.post("/evaluations", "text/plain", "{" + MODEL + ", " + TASKS + "}");

        assertProblem(response, 415, "unsupported-media-type");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void anEmptyBodyIsMalformed() {
        Response response = api.postJson("/evaluations", "");

        assertProblem(response, 400, "malformed-json");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aBadIdempotencyKeyIsRefused() {
        Response response = api.postJson("/evaluations", smokeEvaluation("m"), "key with spaces");

        assertProblem(response, 400, "invalid-idempotency-key");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aSubmissionRefusedForItsAcceptHeaderStoresNothing() {
        Response response = api.request(
                "POST",
                "/evaluations",
                smokeEvaluation("m"),
                "Content-Type",
                "application/json",
                "Accept",
                "application/xml");

        assertProblem(response, 406, "not-acceptable");
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void aCancelRefusedForItsAcceptHeaderChangesNothing() {
        String id = api.postJson("/evaluations", smokeEvaluation("to-cancel"))
                .json()
                .get("id")
                .stringValue();

        Response response = api.request("POST", "/evaluations/" + id + "/cancel", null, "Accept", "text/html");

        assertProblem(response, 406, "not-acceptable");
        assertThat(api.get("/evaluations/" + id).json().get("state").stringValue())
                .isEqualTo("queued");
    }

    @Test
    void twoIdempotencyKeyHeadersAreRefused() {
        String body = smokeEvaluation("m");
        RawHttp.Answer answer = RawHttp.exchange(
                port,
                "POST /evaluations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n"
                        + "Idempotency-Key: first\r\nIdempotency-Key: second\r\nConnection: close\r\n"
                        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.json().get("type").stringValue()).isEqualTo("/problems/invalid-idempotency-key");
        assertThat(rowCounts()).isEqualTo(before);
    }

    private static String oversizedBody() {
        return "{" + MODEL + ", " + TASKS + ", \"labels\": {\"pad\": \"" + "x".repeat(1024 * 1024) + "\"}}";
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.isProblem()).as(response.contentType()).isTrue();
        JsonNode problem = response.json();
        assertThat(problem.get("type").stringValue()).isEqualTo("/problems/" + type);
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("title").stringValue()).isNotBlank();
        assertThat(problem.get("detail").stringValue()).isNotBlank();
    }
}
