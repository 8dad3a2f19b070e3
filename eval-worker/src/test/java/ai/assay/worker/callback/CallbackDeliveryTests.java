package ai.assay.worker.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.RunState;
import ai.assay.worker.Jobs;
import ai.assay.worker.WorkerIntegrationTest;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@TestPropertySource(
        properties = {
            "assay.worker.callback.secret=test-secret",
            "assay.worker.callback.max-attempts=3",
            "assay.outbound.allow=127.0.0.1"
        })
class CallbackDeliveryTests extends WorkerIntegrationTest {

    private static final WireMockServer receiver = new WireMockServer(options().dynamicPort());

    @BeforeAll
    static void startReceiver() {
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    @BeforeEach
    void resetReceiver() {
        receiver.resetAll();
    }

    private URI hook(String path) {
        return URI.create("http://127.0.0.1:" + receiver.port() + path);
    }

    @Test
    void postsASignedSummaryWhenTheEvaluationEnds() throws Exception {
        receiver.stubFor(post("/done").willReturn(aResponse().withStatus(204)));

        UUID id = jobs.submit(0, hook("/done"), "{\"name\":\"smoke\",\"examples\":3,\"millisPerExample\":1}");
        jobs.awaitState(id, RunState.SUCCEEDED, Duration.ofSeconds(30));
        LoggedRequest request = awaitRequests("/done", 1).get(0);

        assertThat(request.getHeader("Content-Type")).startsWith("application/json");
        assertThat(request.getHeader("X-Assay-Event")).isEqualTo("evaluation.succeeded");
        assertThat(request.getHeader("X-Assay-Delivery")).isNotBlank();
        assertThat(request.getHeader("X-Assay-Signature"))
                .isEqualTo("sha256=" + hmac("test-secret", request.getBody()));
        JsonNode body = JsonMapper.builder().build().readTree(request.getBodyAsString());
        assertThat(body.get("id").stringValue()).isEqualTo(id.toString());
        assertThat(body.get("event").stringValue()).isEqualTo("evaluation.succeeded");
        assertThat(body.get("state").stringValue()).isEqualTo("succeeded");
        assertThat(body.get("model").get("name").stringValue()).isEqualTo("test-model");
        assertThat(body.get("tasks").get(0).get("metrics").get(0).get("metric").stringValue())
                .isEqualTo("acc");
        awaitDelivered(id);
    }

    @Test
    void retriesFailuresWithBackoffUntilTheReceiverAccepts() {
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1"))
                .willSetStateTo("second"));
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("third"));
        receiver.stubFor(post("/flaky")
                .inScenario("flaky")
                .whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200)));

        UUID id = jobs.submit(0, hook("/flaky"), "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        jobs.awaitEnd(id, Duration.ofSeconds(30));
        List<LoggedRequest> requests = awaitRequests("/flaky", 3);

        assertThat(requests).hasSize(3);
        long afterRetryAfter = requests.get(1).getLoggedDate().getTime()
                - requests.get(0).getLoggedDate().getTime();
        assertThat(afterRetryAfter).as("Retry-After: 1 is honoured").isGreaterThanOrEqualTo(900);
        awaitDelivered(id);
    }

    @Test
    void abandonsACallbackAfterTheLastAttempt() {
        receiver.stubFor(post("/down").willReturn(aResponse().withStatus(500)));

        UUID id = jobs.submit(0, hook("/down"), "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        jobs.awaitEnd(id, Duration.ofSeconds(30));
        awaitRequests("/down", 3);
        String abandoned = awaitColumn(id, "abandoned_at");

        assertThat(abandoned).isNotNull();
        Jobs.sleep(500);
        receiver.verify(3, postRequestedFor(urlEqualTo("/down")));
        assertThat(jdbc.sql("SELECT last_status FROM callback_delivery WHERE evaluation_id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(500);
    }

    @Test
    void aCallbackToARefusedAddressIsAbandonedWithoutBeingSent() {
        // 127.0.0.2 reaches this receiver too (it listens on every address), so a POST sent despite the guard shows
        receiver.stubFor(post("/internal").willReturn(aResponse().withStatus(204)));
        URI refused = URI.create("http://127.0.0.2:" + receiver.port() + "/internal");

        UUID id = jobs.submit(0, refused, "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        jobs.awaitEnd(id, Duration.ofSeconds(30));

        assertThat(awaitColumn(id, "abandoned_at")).isNotNull();
        assertThat(jdbc.sql("SELECT last_error FROM callback_delivery WHERE evaluation_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .startsWith("refused by the outbound guard: the host '127.0.0.2' is a loopback address")
                .contains("assay.outbound.allow");
        receiver.verify(0, postRequestedFor(urlEqualTo("/internal")));
    }

    @Test
    void aReceiversRefusalAbandonsTheCallbackAtOnce() {
        receiver.stubFor(post("/refuses").willReturn(aResponse().withStatus(400)));

        UUID id = jobs.submit(0, hook("/refuses"), "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        jobs.awaitEnd(id, Duration.ofSeconds(30));

        assertThat(awaitColumn(id, "abandoned_at")).isNotNull();
        assertThat(jdbc.sql("SELECT attempts FROM callback_delivery WHERE evaluation_id = :id")
                        .param("id", id)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        receiver.verify(1, postRequestedFor(urlEqualTo("/refuses")));
    }

    @Test
    void aReceiverThatAnswers404WhileItDeploysIsTriedAgain() {
        receiver.stubFor(post("/deploying")
                .inScenario("deploying")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(404))
                .willSetStateTo("up"));
        receiver.stubFor(post("/deploying")
                .inScenario("deploying")
                .whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));

        UUID id = jobs.submit(0, hook("/deploying"), "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        jobs.awaitEnd(id, Duration.ofSeconds(30));

        awaitDelivered(id);
        receiver.verify(2, postRequestedFor(urlEqualTo("/deploying")));
    }

    @Test
    void aCancelledEvaluationCallsBackToo() {
        receiver.stubFor(post("/cancelled").willReturn(aResponse().withStatus(200)));
        UUID id =
                jobs.submit(0, hook("/cancelled"), "{\"name\":\"smoke\",\"examples\":100000,\"millisPerExample\":10}");
        jobs.awaitState(id, RunState.RUNNING, Duration.ofSeconds(30));

        jdbc.sql("UPDATE evaluation SET cancel_requested = true WHERE id = :id")
                .param("id", id)
                .update();

        LoggedRequest request = awaitRequests("/cancelled", 1).get(0);
        assertThat(request.getHeader("X-Assay-Event")).isEqualTo("evaluation.cancelled");
        receiver.verify(postRequestedFor(urlEqualTo("/cancelled"))
                .withHeader("X-Assay-Event", equalTo("evaluation.cancelled")));
    }

    private List<LoggedRequest> awaitRequests(String path, int count) {
        for (int i = 0; i < 200; i++) {
            List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
            if (requests.size() >= count) {
                return requests;
            }
            Jobs.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " callbacks reached " + path);
    }

    private void awaitDelivered(UUID id) {
        assertThat(awaitColumn(id, "delivered_at")).isNotNull();
    }

    private String awaitColumn(UUID id, String column) {
        for (int i = 0; i < 100; i++) {
            String value = jdbc.sql("SELECT " + column + "::text FROM callback_delivery WHERE evaluation_id = :id")
                    .param("id", id)
                    .query(String.class)
                    .optional()
                    .orElse(null);
            if (value != null) {
                return value;
            }
            Jobs.sleep(50);
        }
        return null;
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(body));
    }
}
