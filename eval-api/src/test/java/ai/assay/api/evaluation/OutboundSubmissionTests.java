package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A submission cannot make a worker call an internal address or open a file outside the model roots: it is refused
 * with a 422 problem at the field's JSON Pointer, naming the address class or the roots and the setting that would
 * allow it, and nothing is stored. Nothing here connects anywhere: the guard decides on addresses alone.
 */
@TestPropertySource(properties = "assay.outbound.allow=10.20.0.0/16,hooks.internal.test")
class OutboundSubmissionTests extends ApiIntegrationTest {

    private static final String MODEL = "\"model\": {\"name\": \"m\", \"uri\": \"/models/m\"}";
    private static final String SMOKE = "\"tasks\": [{\"name\": \"smoke\"}]";

    private Map<String, Long> before;

    @BeforeEach
    void countRows() {
        before = rowCounts();
    }

    private static String withCallback(String url) {
        return "{" + MODEL + ", " + SMOKE + ", \"callbackUrl\": \"" + url + "\"}";
    }

    private static String withOption(String option, String uri) {
        return "{" + MODEL + ", \"tasks\": [{\"name\": \"smoke\"}, {\"name\": \"alpaca_eval\", \"" + option + "\": \""
                + uri + "\"}]}";
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments(withCallback("http://127.0.0.1:5432/"), "/callbackUrl", "loopback"),
                arguments(withCallback("http://169.254.169.254/latest/meta-data/"), "/callbackUrl", "link-local"),
                arguments(withCallback("http://0.0.0.0:8080/"), "/callbackUrl", "unspecified"),
                arguments(withCallback("http://2130706433/"), "/callbackUrl", "loopback"),
                arguments(withCallback("http://[::1]/"), "/callbackUrl", "loopback"),
                arguments(withCallback("http://[::ffff:127.0.0.1]/"), "/callbackUrl", "loopback"),
                arguments(withCallback("http://10.1.2.3/"), "/callbackUrl", "private"),
                arguments(withCallback("https://user:pass@ci.example.org/done"), "/callbackUrl", "user information"),
                arguments(withCallback("https://rebound.assay.test/done"), "/callbackUrl", "resolves to 127.0.0.1"),
                arguments(
                        withOption("outputs", "http://169.254.169.254/outputs.json"), "/tasks/1/outputs", "link-local"),
                arguments(
                        withOption("referenceOutputs", "http://192.168.1.1/ref.json"),
                        "/tasks/1/referenceOutputs",
                        "private"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("refused")
    void anInternalAddressIsRefusedAtSubmission(String body, String pointer, String reason) {
        Response response = api.postJson("/evaluations", body);

        JsonNode error = assertRefused(response, "outbound-refused", pointer);
        assertThat(error.get("detail").stringValue()).contains(reason);
        if (!reason.equals("user information")) {
            assertThat(error.get("detail").stringValue()).contains("assay.outbound.allow");
        }
    }

    @Test
    void aHostSpelledSoThatUriReadsNoHostIsRefusedAsMalformed() {
        // java.net.URI reads no host in 0x7f.1 (the guard reads 127.0.0.1 in it): refused before the guard is asked
        Response response = api.postJson("/evaluations", withCallback("http://0x7f.1/"));

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("pointer").stringValue())
                .isEqualTo("/callbackUrl");
        assertThat(rowCounts()).isEqualTo(before);
    }

    static Stream<Arguments> outsideRoots() {
        return Stream.of(
                arguments(
                        "{\"model\": {\"name\": \"m\", \"uri\": \"file:///etc/passwd\"}, " + SMOKE + "}", "/model/uri"),
                arguments("{\"model\": {\"name\": \"m\", \"uri\": \"/models/../etc\"}, " + SMOKE + "}", "/model/uri"),
                arguments("{\"model\": {\"name\": \"m\", \"uri\": \"/modelsx/m\"}, " + SMOKE + "}", "/model/uri"),
                arguments(
                        "{\"model\": {\"name\": \"m\", \"uri\": \"/models/m\", \"adapter\": \"/etc/lora\"}, " + SMOKE
                                + "}",
                        "/model/adapter"),
                arguments(withOption("outputs", "file:///etc/shadow"), "/tasks/1/outputs"),
                arguments(withOption("outputs", "file:///models/m/../../dev/zero"), "/tasks/1/outputs"),
                arguments(
                        withOption("referenceOutputs", "file:///etc/ssh/ssh_host_ed25519_key"),
                        "/tasks/1/referenceOutputs"));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("outsideRoots")
    void aFileOutsideTheModelRootsIsRefusedAtSubmission(String body, String pointer) {
        Response response = api.postJson("/evaluations", body);

        JsonNode error = assertRefused(response, "file-outside-roots", pointer);
        assertThat(error.get("detail").stringValue()).containsAnyOf("assay.models.roots", "'..'");
    }

    static Stream<Arguments> malformedReferenceOutputs() {
        return Stream.of(
                arguments("ftp://example.org/ref.json"),
                arguments("jar:file:/models/x.jar!/ref.json"),
                arguments("ref.json"),
                arguments("file://remote/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedReferenceOutputs")
    void referenceOutputsAreValidatedLikeOutputs(String uri) {
        for (String option : new String[] {"outputs", "referenceOutputs"}) {
            Response response = api.postJson("/evaluations", withOption(option, uri));

            assertThat(response.status()).as(response.body()).isEqualTo(400);
            JsonNode error = response.json().get("errors").get(0);
            assertThat(error.get("type").stringValue()).isEqualTo("/problems/invalid-value");
            assertThat(error.get("pointer").stringValue()).isEqualTo("/tasks/1/" + option);
        }
        assertThat(rowCounts()).isEqualTo(before);
    }

    @Test
    void whatTheSettingsAllowIsAccepted() {
        assertThat(api.postJson("/evaluations", withCallback("http://10.20.3.4:9000/done"))
                        .status())
                .isEqualTo(202);
        assertThat(api.postJson("/evaluations", withCallback("https://hooks.internal.test/done"))
                        .status())
                .isEqualTo(202);
        assertThat(api.postJson("/evaluations", withCallback("https://public.assay.test/done"))
                        .status())
                .isEqualTo(202);
        assertThat(api.postJson("/evaluations", withOption("outputs", "file:///models/m/outputs.json"))
                        .status())
                .isEqualTo(202);
        assertThat(api.postJson("/evaluations", withOption("referenceOutputs", "https://public.assay.test/r.json"))
                        .status())
                .isEqualTo(202);
    }

    private JsonNode assertRefused(Response response, String type, String pointer) {
        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/" + type);
        JsonNode error = response.json().get("errors").get(0);
        assertThat(error.get("type").stringValue()).isEqualTo("/problems/" + type);
        assertThat(error.get("pointer").stringValue()).isEqualTo(pointer);
        assertThat(rowCounts()).isEqualTo(before);
        return error;
    }
}
