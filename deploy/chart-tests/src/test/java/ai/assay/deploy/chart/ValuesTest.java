package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that change the rendering, and values the chart refuses (by values.schema.json or by a template check). */
class ValuesTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    /** Four GPUs a pod, each evaluation on two of them. */
    static final Map<String, String> REPLICATED_GPUS =
            Map.of("worker.gpu.enabled", "true", "worker.gpu.count", "4", "worker.engine.replicasPerJob", "2");

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "api.image.tag|latest|'/api/image/tag'",
                "worker.image.tag|latest|'/worker/image/tag'",
                "worker.engine.device|gpu|'/worker/engine/device'",
                "worker.gpu.cuont|2|cuont",
                "worker.engine.replicasPerJob|0|'/worker/engine/replicasPerJob'",
                "judge.baseUrl|https://judge.example.com/api|'/judge/baseUrl'",
                "database.sslMode|on|'/database/sslMode'",
                "worker.keda.minReplicaCount|-1|'/worker/keda/minReplicaCount'",
            })
    void valuesOutsideTheSchemaAreRefused(String key, String value, String expectedInMessage) {
        assertThatThrownBy(() -> AssayChart.template(null, Map.of(key, value)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(expectedInMessage);
    }

    @Test
    void kedaAndTheHpaCannotBothScaleTheWorkers() {
        assertThatThrownBy(() -> AssayChart.template(
                        null, Map.of("worker.keda.enabled", "true", "worker.autoscaling.hpa.enabled", "true")))
                .hasMessageContaining("are exclusive");
    }

    @Test
    void theGracePeriodMustOutlastTheWorkersShutdownGrace() {
        assertThatThrownBy(() -> AssayChart.template(null, Map.of("worker.terminationGracePeriodSeconds", "120")))
                .hasMessageContaining("must exceed worker.shutdownGraceSeconds");
    }

    @Test
    void gpusNeedTheCudaImage() {
        assertThatThrownBy(() ->
                        AssayChart.template(null, Map.of("worker.gpu.enabled", "true", "worker.image.variant", "cpu")))
                .hasMessageContaining("needs the cuda worker image");
    }

    @Test
    void theModelsComeFromOneVolumeSource() {
        assertThatThrownBy(() -> AssayChart.template(
                        null, Map.of("worker.models.existingClaim", "models", "worker.models.hostPath", "/srv/models")))
                .hasMessageContaining("not both");
    }

    @Test
    void aHostPathModelDirectoryIsMountedReadOnly() {
        Deployment worker = AssayChart.render(null, Map.of("worker.models.hostPath", "/srv/models"))
                .workerDeployment();
        Volume models = worker.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("models"))
                .findFirst()
                .orElseThrow();

        assertThat(models.getHostPath().getPath()).isEqualTo("/srv/models");
        assertThat(models.getHostPath().getType()).isEqualTo("Directory");
        assertThat(Rendered.container(worker).getVolumeMounts())
                .filteredOn(m -> m.getName().equals("models"))
                .singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    }

    @Test
    void aDigestPinsTheImageInsteadOfTheTag() {
        Rendered rendered = AssayChart.render(null, Map.of("worker.image.digest", DIGEST));

        assertThat(Rendered.container(rendered.workerDeployment()).getImage()).isEqualTo("assay/eval-worker@" + DIGEST);
    }

    @Test
    void replicasPerJobDivideTheGpusIntoEvaluationsAndTheGpuLimitIsConcurrencyTimesReplicas() {
        Rendered rendered = AssayChart.render(null, REPLICATED_GPUS);
        Container worker = Rendered.container(rendered.workerDeployment());

        assertThat(rendered.configOf(worker))
                .containsEntry("ASSAY_WORKER_CONCURRENCY", "2")
                .containsEntry("ASSAY_ENGINE_REPLICAS_PER_JOB", "2");
        assertThat(worker.getResources().getLimits().get("nvidia.com/gpu").getAmount())
                .isEqualTo("4");
        assertThat(AssayChart.notes(null, REPLICATED_GPUS)).contains("4 GPU(s) per pod, 2 per evaluation.");
    }

    @Test
    void moreEnginesThanGpusAreRefused() {
        Map<String, String> sixEngines = new java.util.HashMap<>(REPLICATED_GPUS);
        sixEngines.put("worker.concurrency", "3");
        assertThatThrownBy(() -> AssayChart.template(null, sixEngines))
                .hasMessageContaining(
                        "worker.concurrency times worker.engine.replicasPerJob (6) exceeds" + " worker.gpu.count (4)");
        assertThatThrownBy(() -> AssayChart.template(
                        null,
                        Map.of(
                                "worker.gpu.enabled",
                                "true",
                                "worker.gpu.count",
                                "2",
                                "worker.engine.replicasPerJob",
                                "3")))
                .hasMessageContaining("worker.engine.replicasPerJob (3) exceeds worker.gpu.count (2)");
    }

    @Test
    void anExplicitConcurrencyOverridesTheGpuCount() {
        Rendered rendered = AssayChart.render(
                null,
                Map.of(
                        "worker.gpu.enabled",
                        "true",
                        "worker.gpu.count",
                        "4",
                        "worker.concurrency",
                        "2",
                        "worker.keda.enabled",
                        "true"));
        Container worker = Rendered.container(rendered.workerDeployment());

        assertThat(rendered.configOf(worker)).containsEntry("ASSAY_WORKER_CONCURRENCY", "2");
        assertThat(worker.getResources().getLimits().get("nvidia.com/gpu").getAmount())
                .isEqualTo("4");
        Map<String, Object> trigger = GpuKedaValuesTest.map(
                ((List<?>) GpuKedaValuesTest.spec(rendered.oneCustom("ScaledObject", "assay-worker"))
                                .get("triggers"))
                        .get(0));
        assertThat((String) GpuKedaValuesTest.map(trigger.get("metadata")).get("query"))
                .contains("count(*)::numeric / 2)");
    }

    @Test
    void theHpaAlternativeScalesOnTheApisQueueDepthGauge() {
        Rendered rendered = AssayChart.render(null, Map.of("worker.autoscaling.hpa.enabled", "true"));
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class, "assay-worker");
        MetricSpec metric = hpa.getSpec().getMetrics().get(0);

        assertThat(rendered.workerDeployment().getSpec().getReplicas()).isNull();
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("assay-worker");
        assertThat(metric.getType()).isEqualTo("External");
        assertThat(metric.getExternal().getMetric().getName()).isEqualTo("assay_queue_depth");
        assertThat(metric.getExternal().getTarget().getAverageValue().getAmount())
                .isEqualTo("1");
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
                .isEqualTo(300);
    }

    @Test
    void theApiCanScaleOnCpuAndOpenANetworkPolicy() {
        Rendered rendered =
                AssayChart.render(null, Map.of("api.autoscaling.hpa.enabled", "true", "networkPolicy.enabled", "true"));

        assertThat(rendered.apiDeployment().getSpec().getReplicas()).isNull();
        assertThat(rendered.one(HorizontalPodAutoscaler.class, "assay-api")
                        .getSpec()
                        .getMinReplicas())
                .isEqualTo(2);
        assertThat(rendered.kindsAndNames()).contains("NetworkPolicy/assay-api", "NetworkPolicy/assay-worker");
    }

    @Test
    void longReleaseNamesStayWithinTheNameLimits() {
        // Rendered.parse checks every name against the DNS rules, 63 characters included.
        Rendered rendered = AssayChart.render(null, Map.of("nameOverride", "n".repeat(60)));
        String prefix = ("assay-" + "n".repeat(60)).substring(0, 52);

        assertThat(rendered.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(prefix + "-api", prefix + "-worker");
    }
}
