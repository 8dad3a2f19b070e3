package ai.assay.worker.alpacaeval;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.ModelRootsProperties;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.testing.TestHosts;
import ai.assay.worker.outbound.SubmittedResources;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * Model outputs named by URI are parsed without ever quoting what was read (the transport's defences are
 * {@code SubmittedResourcesTests}'). The only listener is a WireMock on the loopback, which the guard allows here.
 */
class ModelOutputsReaderTests {

    private static final String OUTPUTS = "[{\"instruction\": \"Say hi\", \"output\": \"hi\"}]";
    private static final WireMockServer server = new WireMockServer(options().dynamicPort());

    @TempDir
    Path models;

    private SubmittedResources resources;
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
        resources = new SubmittedResources(
                new OutboundGuard(outbound, TestHosts.RESOLVER),
                new FileRoots(new ModelRootsProperties(List.of(models))),
                outbound);
        reader = new ModelOutputsReader(JsonMapper.builder().build(), resources);
    }

    @AfterEach
    void close() throws IOException {
        resources.close();
    }

    private static URI local(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
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
    void aFileUnderTheRootsIsRead() throws IOException {
        Path outputs = Files.writeString(models.resolve("outputs.json"), OUTPUTS);

        assertThat(reader.read(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(
                        outputs.toUri().toString())))
                .containsExactly(new ProvidedOutput("Say hi", "hi", null, null));
    }
}
