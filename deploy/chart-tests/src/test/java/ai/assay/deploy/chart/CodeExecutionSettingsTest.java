package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whether model-written code may run is one switch of the deployment, {@code codeExecution.enabled}: off by default,
 * and the API (which refuses code tasks when it is off) and the workers (which then run no program) see the same
 * value.
 */
class CodeExecutionSettingsTest {

    @Test
    void byDefaultNeitherTheApiNorTheWorkersAllowCodeExecution() {
        Rendered rendered = AssayChart.defaults();

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            assertThat(rendered.one(ConfigMap.class, name).getData())
                    .as(name)
                    .containsEntry("ASSAY_CODE_EXECUTION_ENABLED", "false");
        }
    }

    @Test
    void enablingItReachesTheApiAndTheWorkers() {
        Rendered rendered = AssayChart.render(null, Map.of("codeExecution.enabled", "true"));

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            assertThat(rendered.one(ConfigMap.class, name).getData())
                    .as(name)
                    .containsEntry("ASSAY_CODE_EXECUTION_ENABLED", "true");
        }
    }

    @Test
    void aSwitchThatIsNotABooleanIsRefused() {
        assertThatThrownBy(() -> AssayChart.template(null, Map.of("codeExecution.enabled", "sometimes")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/codeExecution/enabled");
    }

    @Test
    void anUnknownCodeExecutionSettingIsRefused() {
        assertThatThrownBy(() -> AssayChart.template(null, Map.of("codeExecution.enabeld", "true")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enabeld");
    }
}
