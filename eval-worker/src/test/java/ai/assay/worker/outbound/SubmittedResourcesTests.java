package ai.assay.worker.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.HostResolver;
import ai.assay.core.outbound.ModelRootsProperties;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import ai.assay.core.testing.TestHosts;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Resources a submitter named are read defensively: every connection goes to addresses the guard checked at that
 * moment (redirects and rebound names included), bodies and files are bounded, files are read only under the roots.
 * The only listener is a WireMock on the loopback, which the guard allows here unless a test says otherwise;
 * refused addresses are never contacted, as its request log shows.
 */
class SubmittedResourcesTests {

    private static final String WHAT = "the model outputs";
    private static final String BODY = "[{\"instruction\": \"Say hi\", \"output\": \"hi\"}]";
    private static final WireMockServer server = new WireMockServer(options().dynamicPort());

    @TempDir
    Path models;

    private SubmittedResources resources;

    @BeforeAll
    static void start() {
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void resources() {
        server.resetAll();
        resources = resources(List.of("127.0.0.1/32"), TestHosts.RESOLVER);
    }

    @AfterEach
    void close() throws IOException {
        resources.close();
    }

    private SubmittedResources resources(List<String> allow, HostResolver resolver) {
        OutboundProperties outbound = new OutboundProperties(allow, DataSize.ofBytes(1024));
        return new SubmittedResources(
                new OutboundGuard(outbound, resolver),
                new FileRoots(new ModelRootsProperties(List.of(models))),
                outbound);
    }

    private static URI local(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aRedirectToAnAllowedAddressIsFollowed() {
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(302).withHeader("Location", "/outputs.json")));
        server.stubFor(get("/outputs.json").willReturn(ok(BODY)));

        assertThat(text(resources.read(local("/moved"), WHAT))).isEqualTo(BODY);
    }

    @Test
    void aRedirectToARefusedAddressIsRefusedWithoutConnectingToIt() {
        // 127.0.0.2 reaches this server too, so a request sent despite the guard would be counted below
        String refused = "http://127.0.0.2:" + server.port() + "/internal";
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(307).withHeader("Location", refused)));
        server.stubFor(get("/internal").willReturn(ok(BODY)));

        assertThatThrownBy(() -> resources.read(local("/moved"), WHAT))
                .hasMessage(
                        "the model outputs at %s are not fetched: the host '127.0.0.2' is a loopback address,"
                                + " which is not called unless assay.outbound.allow lists it (a CIDR or the host name)",
                        refused);
        server.verify(0, getRequestedFor(urlEqualTo("/internal")));
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsNotContacted() {
        URI rebound = URI.create("http://" + TestHosts.REBOUND + ":" + server.port() + "/outputs.json");
        SubmittedResources strict = resources(List.of(), TestHosts.RESOLVER);

        assertThatThrownBy(() -> strict.read(rebound, WHAT)).hasMessageContaining("resolves to 127.0.0.1, a loopback");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aNameThatPassesTheCheckAndThenRebindsToTheLoopbackIsNotContacted() {
        // the first lookup (the check before the request) answers a public address, every later one the loopback
        // where this server listens: a client that resolved on its own would connect here
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding =
                host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "203.0.113.10" : "127.0.0.1"));
        SubmittedResources guarded = resources(List.of(), rebinding);
        server.stubFor(get("/outputs.json").willReturn(ok(BODY)));

        assertThatThrownBy(() -> guarded.read(
                        URI.create("http://rebinding.assay.test:" + server.port() + "/outputs.json"), WHAT))
                .hasMessageContaining("not fetched: the host 'rebinding.assay.test' resolves to 127.0.0.1, a loopback");
        assertThat(lookups).hasValueGreaterThanOrEqualTo(2);
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void theConnectionGoesToTheAddressesTheGuardResolved() {
        // no DNS server knows this name: only the guard's resolver does, so an answer proves the client used it
        URI named = URI.create("http://" + TestHosts.REBOUND + ":" + server.port() + "/outputs.json");
        server.stubFor(get("/outputs.json").willReturn(ok(BODY)));

        assertThat(text(resources.read(named, WHAT))).isEqualTo(BODY);
        server.verify(1, getRequestedFor(urlEqualTo("/outputs.json")));
    }

    @Test
    void aNumericSpellingOfTheLoopbackIsRefusedAtConnection() {
        SubmittedResources strict = resources(List.of(), TestHosts.RESOLVER);

        assertThatThrownBy(() -> strict.read(URI.create("http://2130706433:" + server.port() + "/x"), WHAT))
                .hasMessageContaining("not fetched");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void redirectsAreFollowedAtMostFiveTimes() {
        server.stubFor(get("/loop").willReturn(aResponse().withStatus(301).withHeader("Location", "/loop")));

        assertThatThrownBy(() -> resources.read(local("/loop"), WHAT)).hasMessageContaining("more than 5 redirects");
        server.verify(6, getRequestedFor(urlEqualTo("/loop")));
    }

    @Test
    void anAnswerOtherThan200FailsWithItsStatus() {
        server.stubFor(get("/gone").willReturn(aResponse().withStatus(404).withBody("secret page")));

        assertThatThrownBy(() -> resources.read(local("/gone"), WHAT))
                .hasMessage("fetching the model outputs from %s answered HTTP 404", local("/gone"));
    }

    @Test
    void aBodyOverTheLimitFailsClearly() {
        String big = "[" + "\"x\",".repeat(400) + "\"x\"]";
        server.stubFor(get("/big").willReturn(ok(big)));
        server.stubFor(get("/big-chunked")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Transfer-Encoding", "chunked")
                        .withBody(big)));

        assertThatThrownBy(() -> resources.read(local("/big"), WHAT))
                .hasMessage(
                        "the model outputs at %s are larger than assay.outbound.max-body-size (1024 bytes)",
                        local("/big"));
        assertThatThrownBy(() -> resources.read(local("/big-chunked"), WHAT))
                .hasMessageContaining("larger than assay.outbound.max-body-size");
    }

    @Test
    void aFileOverTheLimitFailsClearly() throws IOException {
        Path big = Files.writeString(models.resolve("big.json"), "[" + "\"x\",".repeat(400) + "\"x\"]");

        assertThatThrownBy(() -> resources.read(big.toUri(), WHAT))
                .hasMessageContaining("larger than assay.outbound.max-body-size");
    }

    @Test
    void aFileOutsideTheRootsIsNotOpened() throws IOException {
        Path outside = Files.createTempFile("outputs", ".json");
        try {
            Files.writeString(outside, BODY);
            Files.createSymbolicLink(models.resolve("link.json"), outside);

            assertThatThrownBy(() -> resources.read(outside.toUri(), WHAT)).hasMessageContaining("assay.models.roots");
            assertThatThrownBy(() -> resources.read(models.resolve("link.json").toUri(), WHAT))
                    .hasMessageContaining("assay.models.roots");
            assertThatThrownBy(() -> resources.read(URI.create("file:///etc/passwd"), WHAT))
                    .hasMessageContaining("assay.models.roots");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aFileUnderTheRootsIsRead() throws IOException {
        Path outputs = Files.writeString(models.resolve("outputs.json"), BODY);

        assertThat(text(resources.read(outputs.toUri(), WHAT))).isEqualTo(BODY);
    }
}
