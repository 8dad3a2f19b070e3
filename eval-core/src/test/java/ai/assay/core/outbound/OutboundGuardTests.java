package ai.assay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.outbound.OutboundDecision.Verdict;
import ai.assay.core.testing.TestHosts;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/** The outbound guard decides by the address a URL reaches, whatever its spelling; nothing here connects. */
class OutboundGuardTests {

    private static OutboundGuard guard(String... allow) {
        return new OutboundGuard(new OutboundProperties(List.of(allow), DataSize.ofMegabytes(1)), TestHosts.RESOLVER);
    }

    @ParameterizedTest
    @CsvSource({
        "http://127.0.0.1:5432/, loopback",
        "http://127.8.9.10/, loopback",
        "http://169.254.169.254/latest/meta-data/, link-local",
        "http://0.0.0.0:8080/, unspecified",
        "http://2130706433/, loopback",
        "http://0x7f.1/, loopback",
        "http://0177.0.0.1/, loopback",
        "http://127.1/, loopback",
        "http://[::1]/, loopback",
        "http://[::]/, unspecified",
        "http://[::ffff:127.0.0.1]/, loopback",
        "http://[::ffff:7f00:1]/, loopback",
        "http://[::ffff:169.254.169.254]/, link-local",
        "http://[64:ff9b::a9fe:a9fe]/, link-local",
        "http://[fe80::1]/, link-local",
        "http://[fd12:3456::1]/, private",
        "http://10.1.2.3/, private",
        "http://172.16.0.1/, private",
        "http://172.31.255.255/, private",
        "http://192.168.1.1/, private",
        "http://100.64.0.1/, shared",
        "http://224.0.0.1/, multicast",
        "http://[ff02::1]/, multicast",
        "http://255.255.255.255/, reserved",
        "https://rebound.assay.test/hook, loopback",
        "http://127.0.0.1./, loopback",
        "HTTP://Rebound.Assay.Test:8443/, loopback"
    })
    void anAddressOutsideThePublicNetworkIsRefusedByItsClass(String url, String kind) {
        OutboundDecision decision = guard().check(URI.create(url));

        assertThat(decision.verdict()).isEqualTo(Verdict.REFUSED);
        assertThat(decision.reason()).contains(kind).contains("assay.outbound.allow");
    }

    @Test
    void aNameThatResolvesToTheLoopbackIsRefusedNamingTheAddress() {
        OutboundDecision decision = guard().check(URI.create("https://" + TestHosts.REBOUND + "/hook"));

        assertThat(decision.reason())
                .isEqualTo("the host 'rebound.assay.test' resolves to 127.0.0.1, a loopback address, which is not"
                        + " called unless assay.outbound.allow lists it (a CIDR or the host name)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://user:pass@" + TestHosts.PUBLIC + "/",
                "http://user@" + TestHosts.PUBLIC + "/",
                "ftp://" + TestHosts.PUBLIC + "/x",
                "file:///etc/passwd",
                "jar:file:/x.jar!/a",
                "gopher://" + TestHosts.PUBLIC + "/"
            })
    void userInformationAndOtherSchemesAreRefused(String url) {
        assertThat(guard().check(URI.create(url)).verdict()).isEqualTo(Verdict.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://203.0.113.10/x", "https://public.assay.test/outputs.json", "http://8.8.8.8:80/"})
    void aPublicAddressIsAllowed(String url) {
        assertThat(guard().check(URI.create(url)).verdict()).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void aNameThatResolvesToNothingIsUnresolvedAndRefusedToACallerThatConnects() {
        URI uri = URI.create("https://nowhere.assay.test/x");

        assertThat(guard().check(uri).verdict()).isEqualTo(Verdict.UNRESOLVED);
        assertThatThrownBy(() -> guard().requireAllowed(uri))
                .isInstanceOf(OutboundRefusedException.class)
                .hasMessageContaining("does not resolve");
    }

    @Test
    void anAllowedNetworkLetsItsAddressesThroughAndNoOthers() {
        OutboundGuard guard = guard("10.20.0.0/16", "127.0.0.1");

        assertThat(guard.check(URI.create("http://10.20.3.4/")).allowed()).isTrue();
        assertThat(guard.check(URI.create("http://127.0.0.1:8080/")).allowed()).isTrue();
        assertThat(guard.check(URI.create("http://[::ffff:127.0.0.1]/")).allowed())
                .isTrue();
        assertThat(guard.check(URI.create("http://" + TestHosts.REBOUND + "/")).allowed())
                .isTrue();
        assertThat(guard.check(URI.create("http://10.1.2.3/")).refused()).isTrue();
        assertThat(guard.check(URI.create("http://127.0.0.2/")).refused()).isTrue();
        assertThat(guard.check(URI.create("http://user:pass@127.0.0.1/")).refused())
                .isTrue();
    }

    @Test
    void anAllowedHostNameIsCalledWhereverItResolves() {
        OutboundGuard guard = guard("Rebound.Assay.Test", "[::1]/128");

        assertThat(guard.check(URI.create("http://rebound.assay.test/")).allowed())
                .isTrue();
        assertThat(guard.check(URI.create("http://[::1]:9000/")).allowed()).isTrue();
        assertThat(guard.check(URI.create("http://127.0.0.1/")).refused()).isTrue();
    }

    @Test
    void aMalformedAllowEntryFailsAtStartUp() {
        assertThatThrownBy(() -> guard("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> guard("not a cidr/8")).isInstanceOf(IllegalArgumentException.class);
    }
}
