package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code helm template -f ci/gpu-keda-values.yaml}: GPU workers scaled by KEDA, every secret an existing Secret. */
class GpuKedaValuesTest {

    private final Rendered rendered = AssayChart.withCiValues("gpu-keda-values.yaml");
    private final Deployment worker = rendered.workerDeployment();
    private final PodSpec pod = worker.getSpec().getTemplate().getSpec();
    private final Container container = Rendered.container(worker);

    @Test
    void eachWorkerRequestsTwoGpusAndRunsTwoEvaluations() {
        assertThat(container.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(rendered.configOf(container))
                .containsEntry("ASSAY_WORKER_CONCURRENCY", "2")
                .containsEntry("ASSAY_ENGINE_DEVICE", "cuda");
    }

    @Test
    void workersUseTheCudaImageFromThePrivateRegistry() {
        assertThat(container.getImage())
                .isEqualTo("registry.example.com/ml/assay/eval-worker:" + AssayChart.appVersion() + "-cuda");
        assertThat(Rendered.container(rendered.apiDeployment()).getImage())
                .isEqualTo("registry.example.com/ml/assay/eval-api:" + AssayChart.appVersion());
        assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("regcred");
    }

    @Test
    void workersLandOnGpuNodesOnly() {
        assertThat(pod.getNodeSelector()).containsExactlyEntriesOf(Map.of("nvidia.com/gpu.present", "true"));
        assertThat(pod.getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()
                        .get(0)
                        .getMatchExpressions()
                        .get(0)
                        .getKey())
                .isEqualTo("nvidia.com/gpu.product");
        // The chart's GPU toleration and the values file's own, each once.
        assertThat(pod.getTolerations())
                .extracting(Toleration::getKey, Toleration::getOperator, Toleration::getEffect)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("nvidia.com/gpu", "Exists", "NoSchedule"),
                        org.assertj.core.groups.Tuple.tuple("dedicated", "Equal", "NoSchedule"));
        assertThat(rendered.apiDeployment().getSpec().getTemplate().getSpec().getTolerations())
                .isEmpty();
    }

    @Test
    void modelsAreMountedReadOnlyFromTheirClaimAndTheCacheIsShared() {
        Volume models = volume("models");
        assertThat(models.getPersistentVolumeClaim().getClaimName()).isEqualTo("assay-models");
        assertThat(models.getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(container.getVolumeMounts())
                .filteredOn(m -> m.getName().equals("models"))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/models");
                    assertThat(m.getReadOnly()).isTrue();
                });
        assertThat(volume("cache").getPersistentVolumeClaim().getClaimName()).isEqualTo("assay-cache");
    }

    @Test
    void kedaScalesTheWorkersOnQueuedAndRunningEvaluationsPerConcurrency() {
        assertThat(worker.getSpec().getReplicas())
                .as("replicas are KEDA's to set")
                .isNull();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).isEmpty();

        Map<String, Object> spec = spec(rendered.oneCustom("ScaledObject", "assay-worker"));
        assertThat(spec).containsEntry("minReplicaCount", 0).containsEntry("maxReplicaCount", 8);
        assertThat(map(spec.get("scaleTargetRef")))
                .containsEntry("name", "assay-worker")
                .containsEntry("kind", "Deployment");
        List<?> triggers = (List<?>) spec.get("triggers");
        assertThat(triggers).hasSize(1);
        Map<String, Object> trigger = map(triggers.get(0));
        assertThat(trigger).containsEntry("type", "postgresql");
        assertThat(map(trigger.get("metadata")))
                .containsEntry("host", "assay-db-rw.databases.svc.cluster.local")
                .containsEntry("port", "5432")
                .containsEntry("dbName", "assay")
                .containsEntry("userName", "assay")
                .containsEntry("sslmode", "require")
                .containsEntry(
                        "query",
                        "SELECT ceil(count(*)::numeric / 2)::integer FROM evaluation"
                                + " WHERE state IN ('queued', 'running')")
                .containsEntry("targetQueryValue", "1")
                .containsEntry("activationTargetQueryValue", "0");
        assertThat(map(trigger.get("authenticationRef"))).containsEntry("name", "assay-worker");
    }

    @Test
    void kedaReadsTheDatabasePasswordFromTheExistingSecret() {
        Map<String, Object> spec = spec(rendered.oneCustom("TriggerAuthentication", "assay-worker"));

        assertThat((List<?>) spec.get("secretTargetRef"))
                .singleElement()
                .isEqualTo(Map.of("parameter", "password", "name", "assay-db-app", "key", "password"));
    }

    @Test
    void everySecretComesFromAnExistingSecret() {
        assertThat(rendered.all(Secret.class)).isEmpty();
        Map<String, String> references = container.getEnv().stream()
                .collect(Collectors.toMap(
                        EnvVar::getName,
                        env -> env.getValueFrom().getSecretKeyRef().getName() + "/"
                                + env.getValueFrom().getSecretKeyRef().getKey()));
        assertThat(references)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SPRING_DATASOURCE_PASSWORD", "assay-db-app/password",
                        "ASSAY_JUDGE_API_KEY", "assay-judge/api-key",
                        "ASSAY_DATASETS_HF_TOKEN", "assay-hf/token",
                        "ASSAY_WORKER_CALLBACK_SECRET", "assay-callbacks/callback-secret"));
        assertThat(Rendered.container(rendered.apiDeployment()).getEnv())
                .singleElement()
                .satisfies(
                        env -> assertThat(env.getValueFrom().getSecretKeyRef().getName())
                                .isEqualTo("assay-db-app"));
    }

    @Test
    void bothComponentsAreScrapedOnActuatorPrometheus() {
        assertThat(rendered.custom("ServiceMonitor")).hasSize(2).allSatisfy(monitor -> {
            assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
            Map<String, Object> endpoint = map(((List<?>) spec(monitor).get("endpoints")).get(0));
            assertThat(endpoint).containsEntry("path", "/actuator/prometheus");
        });
        assertThat(map(((List<?>) spec(rendered.oneCustom("ServiceMonitor", "assay-worker"))
                                .get("endpoints"))
                        .get(0)))
                .containsEntry("port", "management");
        assertThat(map(((List<?>) spec(rendered.oneCustom("ServiceMonitor", "assay-api"))
                                .get("endpoints"))
                        .get(0)))
                .containsEntry("port", "http");
    }

    @Test
    void theApiIsExposedThroughTheIngressWithTls() {
        Ingress ingress = rendered.one(Ingress.class, "assay-api");

        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls())
                .singleElement()
                .satisfies(tls -> assertThat(tls.getSecretName()).isEqualTo("assay-tls"));
        var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
        assertThat(paths)
                .allSatisfy(path ->
                        assertThat(path.getBackend().getService().getName()).isEqualTo("assay-api"));
        // Actuator shares the API's port: only the API's own paths are routed.
        assertThat(paths)
                .extracting(HTTPIngressPath::getPath)
                .contains("/evaluations", "/tasks")
                .noneMatch(path -> path.equals("/") || path.startsWith("/actuator"));
        assertThat(rendered.apiDeployment().getSpec().getReplicas()).isEqualTo(3);
    }

    private Volume volume(String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    static Map<String, Object> spec(GenericKubernetesResource resource) {
        return map(resource.getAdditionalProperties().get("spec"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
