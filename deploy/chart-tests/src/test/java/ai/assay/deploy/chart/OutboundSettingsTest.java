package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API and the workers get the same file roots (the model volume's mount) and the same outbound exceptions. */
class OutboundSettingsTest {

    @Test
    void bothComponentsReadModelsOnlyUnderTheModelVolume() {
        Rendered rendered = AssayChart.render(null, Map.of("worker.models.mountPath", "/mnt/checkpoints"));

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            Map<String, String> data = rendered.one(ConfigMap.class, name).getData();
            assertThat(data).as(name).containsEntry("ASSAY_MODELS_ROOTS", "/mnt/checkpoints");
            assertThat(data).as(name).doesNotContainKey("ASSAY_OUTBOUND_ALLOW");
        }
    }

    @Test
    void theOutboundExceptionsReachBothComponents() {
        Rendered rendered = AssayChart.render(
                null, Map.of("outbound.allow[0]", "10.20.0.0/16", "outbound.allow[1]", "hooks.ci.svc.cluster.local"));

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            assertThat(rendered.one(ConfigMap.class, name).getData())
                    .as(name)
                    .containsEntry("ASSAY_OUTBOUND_ALLOW", "10.20.0.0/16,hooks.ci.svc.cluster.local");
        }
    }
}
