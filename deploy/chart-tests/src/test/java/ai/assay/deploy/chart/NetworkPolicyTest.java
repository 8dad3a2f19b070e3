package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies: with egress restricted, the API reaches only DNS and PostgreSQL, and workers only DNS,
 * PostgreSQL and HTTPS to public addresses, never the cluster's private ranges or the metadata service.
 */
class NetworkPolicyTest {

    @Test
    void theApiReachesDnsPostgresAndHttpsOnPublicAddressesForTaskFiles() {
        NetworkPolicy api =
                AssayChart.render(null, Map.of("networkPolicy.enabled", "true")).one(NetworkPolicy.class, "assay-api");

        assertThat(api.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(ports(api.getSpec().getEgress()))
                .containsExactly(List.of("53/UDP", "53/TCP"), List.of("5432/TCP"), List.of("443/TCP"));
        assertThat(api.getSpec().getEgress().get(2).getTo().get(0).getIpBlock().getExcept())
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8");
        assertThat(api.getSpec()
                        .getEgress()
                        .get(0)
                        .getTo()
                        .get(0)
                        .getPodSelector()
                        .getMatchLabels())
                .containsEntry("k8s-app", "kube-dns");
    }

    @Test
    void anOfflineApiCanBeKeptToDnsAndPostgres() {
        NetworkPolicy api = AssayChart.render(
                        null, Map.of("networkPolicy.enabled", "true", "networkPolicy.egress.apiTo", "null"))
                .one(NetworkPolicy.class, "assay-api");

        assertThat(ports(api.getSpec().getEgress())).containsExactly(List.of("53/UDP", "53/TCP"), List.of("5432/TCP"));
    }

    @Test
    void workersReachHttpsOnPublicAddressesOnlyBesidesDnsAndPostgres() {
        NetworkPolicy worker = AssayChart.render(null, Map.of("networkPolicy.enabled", "true"))
                .one(NetworkPolicy.class, "assay-worker");

        List<NetworkPolicyEgressRule> egress = worker.getSpec().getEgress();
        assertThat(ports(egress)).containsExactly(List.of("53/UDP", "53/TCP"), List.of("5432/TCP"), List.of("443/TCP"));
        var publicOnly = egress.get(2).getTo().get(0).getIpBlock();
        assertThat(publicOnly.getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(publicOnly.getExcept())
                .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8");
    }

    @Test
    void theDatabasePeersNarrowThePostgresRule() {
        NetworkPolicy api = AssayChart.render(
                        null,
                        Map.of(
                                "networkPolicy.enabled", "true",
                                "database.port", "6432",
                                "networkPolicy.egress.database[0].ipBlock.cidr", "10.0.5.10/32"))
                .one(NetworkPolicy.class, "assay-api");

        NetworkPolicyEgressRule database = api.getSpec().getEgress().get(1);
        assertThat(database.getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.0.5.10/32");
        assertThat(database.getPorts().get(0).getPort()).isEqualTo(new IntOrString(6432));
    }

    @Test
    void egressCanStayOpen() {
        NetworkPolicy worker = AssayChart.render(
                        null, Map.of("networkPolicy.enabled", "true", "networkPolicy.egress.enabled", "false"))
                .one(NetworkPolicy.class, "assay-worker");

        assertThat(worker.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(worker.getSpec().getEgress()).isNullOrEmpty();
    }

    private static List<List<String>> ports(List<NetworkPolicyEgressRule> egress) {
        return egress.stream()
                .map(rule ->
                        rule.getPorts().stream().map(NetworkPolicyTest::port).toList())
                .toList();
    }

    private static String port(NetworkPolicyPort port) {
        return (port.getPort().getIntVal() != null
                        ? port.getPort().getIntVal()
                        : port.getPort().getStrVal()) + "/" + port.getProtocol();
    }
}
