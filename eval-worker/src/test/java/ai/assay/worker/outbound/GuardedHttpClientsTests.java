package ai.assay.worker.outbound;

import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.assay.core.outbound.HostResolver;
import ai.assay.core.outbound.OutboundGuard;
import ai.assay.core.outbound.OutboundProperties;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;

/**
 * A guarded client, as the callback dispatcher uses it through Spring's RestClient, resolves each connection through
 * the guard: a callback host that resolved to a public address when it was checked and to the loopback when the
 * connection is made is never contacted, and the failure says it was the guard, not the network.
 */
class GuardedHttpClientsTests {

    private static final WireMockServer server = new WireMockServer(options().dynamicPort());

    @BeforeAll
    static void start() {
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        server.stubFor(post("/hook").willReturn(ok()));
    }

    private static OutboundGuard guard(HostResolver resolver) {
        return new OutboundGuard(new OutboundProperties(List.of(), DataSize.ofKilobytes(1)), resolver);
    }

    private static Throwable postThrough(OutboundGuard guard, String host) throws IOException {
        try (CloseableHttpClient client =
                GuardedHttpClients.create(guard, Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            RestClient rest = RestClient.builder()
                    .requestFactory(new HttpComponentsClientHttpRequestFactory(client))
                    .build();
            return catchThrowable(() -> rest.post()
                    .uri("http://" + host + ":" + server.port() + "/hook")
                    .body("{}")
                    .retrieve()
                    .toBodilessEntity());
        }
    }

    @Test
    void aHostThatRebindsToTheLoopbackAfterItsCheckIsNotContacted() throws IOException {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding =
                host -> List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "203.0.113.10" : "127.0.0.1"));
        OutboundGuard guard = guard(rebinding);
        assertThat(guard.checkHost("hook.assay.test").allowed()).isTrue(); // what the check before sending saw

        Throwable failure = postThrough(guard, "hook.assay.test");

        assertThat(failure).isNotNull();
        assertThat(GuardedHttpClients.refusalIn(failure))
                .hasValueSatisfying(reason -> assertThat(reason).contains("resolves to 127.0.0.1, a loopback"));
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void anAddressLiteralIsCheckedAtConnectionToo() throws IOException {
        Throwable failure = postThrough(guard(host -> List.of(InetAddress.getByName(host))), "127.0.0.1");

        assertThat(GuardedHttpClients.refusalIn(failure))
                .hasValueSatisfying(reason -> assertThat(reason).contains("'127.0.0.1' is a loopback address"));
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aNetworkFailureIsNotMistakenForARefusal() throws IOException {
        Throwable failure = postThrough(
                guard(host -> {
                    throw new UnknownHostException(host);
                }),
                "nowhere.assay.test");

        assertThat(failure).isNotNull();
        assertThat(GuardedHttpClients.refusalIn(failure)).isEmpty();
    }
}
