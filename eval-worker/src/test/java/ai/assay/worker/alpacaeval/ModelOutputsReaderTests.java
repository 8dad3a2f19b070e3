package ai.assay.worker.alpacaeval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.ModelRootsProperties;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.testing.TestHosts;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model outputs named by URI are read defensively: each http hop is put to the guard before the worker connects,
 * bodies and files are bounded, files are read only under the roots, and errors never quote what was read. The
 * only listener is a WireMock on the loopback, which the guard allows here; refused addresses are never contacted.
 */
class ModelOutputsReaderTests {

    private static final String OUTPUTS = "[{\"instruction\": \"Say hi\", \"output\": \"hi\"}]";
    private static final WireMockServer server = new WireMockServer(options().dynamicPort());

    @TempDir
    Path models;

    private ModelOutputsReader reader;

    @BeforeAll
    static void start() {
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reader() {
        server.resetAll();
        OutboundProperties outbound = new OutboundProperties(List.of("127.0.0.1/32"), DataSize.ofBytes(1024));
        reader = new ModelOutputsReader(
                JsonMapper.builder().build(),
                new OutboundGuard(outbound, TestHosts.RESOLVER),
                new FileRoots(new ModelRootsProperties(List.of(models))),
                outbound);
    }

    private static URI local(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void aRedirectToAnAllowedAddressIsFollowed() {
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(302).withHeader("Location", "/outputs.json")));
        server.stubFor(get("/outputs.json").willReturn(okJson(OUTPUTS)));

        assertThat(reader.fetch(local("/moved")).get(0).get("output").stringValue())
                .isEqualTo("hi");
    }

    @Test
    void aRedirectToARefusedAddressIsRefusedWithoutConnectingToIt() {
        // 127.0.0.2 reaches this server too, so a request sent despite the guard would be counted below
        String refused = "http://127.0.0.2:" + server.port() + "/internal";
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(307).withHeader("Location", refused)));
        server.stubFor(get("/internal").willReturn(okJson(OUTPUTS)));

        assertThatThrownBy(() -> reader.fetch(local("/moved")))
                .hasMessage(
                        "the model outputs at %s are not fetched: the host '127.0.0.2' is a loopback address,"
                                + " which is not called unless assay.outbound.allow lists it (a CIDR or the host name)",
                        refused);
        server.verify(0, getRequestedFor(urlEqualTo("/internal")));
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsNotContacted() {
        URI rebound = URI.create("http://" + TestHosts.REBOUND + ":" + server.port() + "/outputs.json");
        OutboundProperties strict = new OutboundProperties(List.of(), DataSize.ofBytes(1024));
        ModelOutputsReader guarded = new ModelOutputsReader(
                JsonMapper.builder().build(),
                new OutboundGuard(strict, TestHosts.RESOLVER),
                new FileRoots(new ModelRootsProperties(List.of(models))),
                strict);

        assertThatThrownBy(() -> guarded.fetch(rebound)).hasMessageContaining("resolves to 127.0.0.1, a loopback");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void redirectsAreFollowedAtMostFiveTimes() {
        server.stubFor(get("/loop").willReturn(aResponse().withStatus(301).withHeader("Location", "/loop")));

        assertThatThrownBy(() -> reader.fetch(local("/loop"))).hasMessageContaining("more than 5 redirects");
        server.verify(6, getRequestedFor(urlEqualTo("/loop")));
    }

    @Test
    void aBodyOverTheLimitFailsClearly() {
        server.stubFor(get("/big").willReturn(okJson("[" + "\"x\",".repeat(400) + "\"x\"]")));
        server.stubFor(get("/big-chunked")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Transfer-Encoding", "chunked")
                        .withBody("[" + "\"x\",".repeat(400) + "\"x\"]")));

        assertThatThrownBy(() -> reader.fetch(local("/big")))
                .hasMessage(
                        "the model outputs at %s are larger than assay.outbound.max-body-size (1024 bytes)",
                        local("/big"));
        assertThatThrownBy(() -> reader.fetch(local("/big-chunked")))
                .hasMessageContaining("larger than assay.outbound.max-body-size");
    }

    @Test
    void aFileThatIsNotJsonFailsWithoutQuotingIt() throws IOException {
        Path key = Files.writeString(models.resolve("outputs.json"), "\n  sk-live-7f3a9c2e4b1d8f6a0e5c\n");

        assertThatThrownBy(() -> reader.fetch(key.toUri()))
                .hasMessageMatching("the model outputs at .* are not valid JSON \\(line 2, column \\d+\\)")
                .hasNoCause()
                .message()
                .doesNotContain("sk-live", "7f3a9c2e4b1d8f6a0e5c");
    }

    @Test
    void aBodyThatIsNotJsonFailsWithoutQuotingIt() {
        server.stubFor(get("/secret").willReturn(aResponse().withStatus(200).withBody("root:$6$saltsalt$hash")));

        assertThatThrownBy(() -> reader.fetch(local("/secret")))
                .hasMessageStartingWith(
                        "the model outputs at %s are not valid JSON (line 1, column".formatted(local("/secret")))
                .message()
                .doesNotContain("root", "saltsalt");
    }

    @Test
    void aFileOverTheLimitFailsClearly() throws IOException {
        Path big = Files.writeString(models.resolve("big.json"), "[" + "\"x\",".repeat(400) + "\"x\"]");

        assertThatThrownBy(() -> reader.fetch(big.toUri()))
                .hasMessageContaining("larger than assay.outbound.max-body-size");
    }

    @Test
    void aFileOutsideTheRootsIsNotOpened() throws IOException {
        Path outside = Files.createTempFile("outputs", ".json");
        try {
            Files.writeString(outside, OUTPUTS);
            Files.createSymbolicLink(models.resolve("link.json"), outside);

            assertThatThrownBy(() -> reader.fetch(outside.toUri())).hasMessageContaining("assay.models.roots");
            assertThatThrownBy(() -> reader.fetch(models.resolve("link.json").toUri()))
                    .hasMessageContaining("assay.models.roots");
            assertThatThrownBy(() -> reader.fetch(URI.create("file:///etc/passwd")))
                    .hasMessageContaining("assay.models.roots");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aFileUnderTheRootsIsRead() throws IOException {
        Path outputs = Files.writeString(models.resolve("outputs.json"), OUTPUTS);

        assertThat(reader.read(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                        outputs.toUri().toString())))
                .containsExactly(new ProvidedOutput("Say hi", "hi", null, null));
    }
}
