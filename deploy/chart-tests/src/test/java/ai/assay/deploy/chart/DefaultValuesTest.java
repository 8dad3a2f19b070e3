package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** {@code helm template} with the chart's own values: a CPU installation with nothing optional switched on. */
class DefaultValuesTest {

    private final Rendered rendered = AssayChart.defaults();

    @Test
    void rendersTheTwoComponentsAndNothingOptional() {
        assertThat(rendered.kindsAndNames())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/assay",
                        "ConfigMap/assay-api",
                        "Deployment/assay-api",
                        "Service/assay-api",
                        "PodDisruptionBudget/assay-api",
                        "ConfigMap/assay-worker",
                        "Deployment/assay-worker",
                        "Service/assay-worker",
                        "PodDisruptionBudget/assay-worker");
    }

    @Test
    void theApiListensOn8080WithTwoReplicas() {
        Deployment api = rendered.apiDeployment();
        Service service = rendered.one(Service.class, "assay-api");

        assertThat(api.getSpec().getReplicas()).isEqualTo(2);
        assertThat(Rendered.container(api).getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(8080));
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("http"));
        assertThat(rendered.configOf(Rendered.container(api)))
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgresql:5432/assay?sslmode=prefer")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "assay")
                .containsEntry("ASSAY_API_MAX_REQUEST_BODY_SIZE", "1MB");
    }

    @Test
    void theWorkerRunsOnCpuWithTheCpuImage() {
        Deployment worker = rendered.workerDeployment();
        Container container = Rendered.container(worker);

        assertThat(container.getImage()).isEqualTo("assay/eval-worker:" + AssayChart.appVersion());
        assertThat(container.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
        assertThat(worker.getSpec().getTemplate().getSpec().getTolerations()).isEmpty();
        assertThat(worker.getSpec().getReplicas()).isEqualTo(1);
        assertThat(rendered.configOf(container))
                .containsEntry("ASSAY_WORKER_CONCURRENCY", "1")
                .containsEntry("ASSAY_ENGINE_DEVICE", "auto")
                .containsEntry("ASSAY_ENGINE_BUILD_VARIANT", "auto")
                .containsEntry("ASSAY_ENGINE_BUILD_CACHE", "/var/cache/assay/model-builds")
                .containsEntry("ASSAY_WORKER_LEASE_DURATION", "60s")
                .containsEntry("ASSAY_WORKER_SHUTDOWN_GRACE", "120s")
                .containsEntry("ASSAY_WORKER_SCHEMA_WAIT", "10m")
                .containsEntry("ASSAY_CACHE_DIR", "/var/cache/assay")
                .doesNotContainKey("ASSAY_JUDGE_BASE_URL");
    }

    @Test
    void withoutSecretValuesNothingSecretIsRenderedOrReferenced() {
        assertThat(rendered.all(Secret.class)).isEmpty();
        assertThat(Rendered.container(rendered.workerDeployment()).getEnv())
                .extracting(EnvVar::getName)
                .isEmpty();
        assertThat(Rendered.container(rendered.apiDeployment()).getEnv()).isEmpty();
    }

    @Test
    void withoutAModelVolumeNoneIsMounted() {
        assertThat(Rendered.container(rendered.workerDeployment()).getVolumeMounts())
                .noneMatch(mount -> mount.getMountPath().equals("/models"));
    }
}
