package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules every rendering must keep, checked for the default values, the GPU-and-KEDA values file and a rendering
 * with secrets given as plain values.
 */
class ManifestRulesTest {

    /** The probe paths the services serve (Spring Boot's probe groups, also on the additional paths). */
    private static final Set<String> LIVENESS_PATHS = Set.of("/livez", "/actuator/health/liveness");

    private static final Set<String> READINESS_PATHS = Set.of("/readyz", "/actuator/health/readiness");
    private static final Map<String, Integer> PORTS = Map.of("api", 8080, "worker", 8081);
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|CREDENTIAL).*");
    private static final Pattern DURATION_SECONDS = Pattern.compile("(\\d+)s");

    static Stream<Arguments> renderings() {
        return Stream.of(
                Arguments.of("default values", AssayChart.defaults()),
                Arguments.of("ci/gpu-keda-values.yaml", AssayChart.withCiValues("gpu-keda-values.yaml")),
                Arguments.of("plain secret values", AssayChart.render(null, SecretsTest.PLAIN_SECRETS)),
                Arguments.of("GPUs split across replicas", AssayChart.render(null, ValuesTest.REPLICATED_GPUS)));
    }

    private static Stream<Deployment> workloads(Rendered rendered) {
        return Stream.of(rendered.apiDeployment(), rendered.workerDeployment());
    }

    private static String component(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void podsRunAsNonRootOnAReadOnlyRootFilesystem(String name, Rendered rendered) {
        workloads(rendered).forEach(deployment -> {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            for (Container container : pod.getContainers()) {
                var security = container.getSecurityContext();
                assertThat(security.getRunAsNonRoot()).as(container.getName()).isTrue();
                assertThat(security.getReadOnlyRootFilesystem())
                        .as(container.getName())
                        .isTrue();
                assertThat(security.getAllowPrivilegeEscalation())
                        .as(container.getName())
                        .isFalse();
                assertThat(security.getCapabilities().getDrop())
                        .as(container.getName())
                        .containsExactly("ALL");
                // The JVM writes to /tmp: with a read-only root it has to be a volume.
                assertThat(writableVolume(pod, container, "/tmp"))
                        .as(container.getName() + " /tmp")
                        .isNotNull();
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void imagesArePinnedToATagOrDigest(String name, Rendered rendered) {
        workloads(rendered)
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .forEach(container -> {
                    String image = container.getImage();
                    String lastPart = image.substring(image.lastIndexOf('/') + 1);
                    assertThat(lastPart).as(image).matches("[^:@]+(:[\\w][\\w.-]{0,127}|@sha256:[a-f0-9]{64})");
                    assertThat(lastPart).as(image).doesNotEndWith(":latest");
                    assertThat(image).as(image).contains(":" + AssayChart.appVersion());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void probesPointAtTheServicesHealthEndpoints(String name, Rendered rendered) {
        workloads(rendered).forEach(deployment -> {
            Container container = Rendered.container(deployment);
            int port = PORTS.get(component(deployment));
            assertProbe(container, container.getStartupProbe(), LIVENESS_PATHS, port);
            assertProbe(container, container.getLivenessProbe(), LIVENESS_PATHS, port);
            assertProbe(container, container.getReadinessProbe(), READINESS_PATHS, port);
        });
    }

    private static void assertProbe(Container container, Probe probe, Set<String> paths, int port) {
        assertThat(probe).as(container.getName()).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(container.getName()).isIn(paths);
        assertThat(ManifestValidator.containerPort(container, probe.getHttpGet().getPort()))
                .as(container.getName())
                .isEqualTo(port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void secretsAreOnlyReferenced(String name, Rendered rendered) {
        for (ConfigMap configMap : rendered.all(ConfigMap.class)) {
            assertThat(configMap.getData().keySet())
                    .as(configMap.getMetadata().getName())
                    .noneMatch(key -> SECRET_NAME.matcher(key).matches());
        }
        workloads(rendered).forEach(deployment -> {
            for (EnvVar env : Rendered.container(deployment).getEnv()) {
                if (SECRET_NAME.matcher(env.getName()).matches()) {
                    assertThat(env.getValue()).as(env.getName()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef())
                            .as(env.getName())
                            .isNotNull();
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void bothComponentsHaveADisruptionBudget(String name, Rendered rendered) {
        List<PodDisruptionBudget> budgets = rendered.all(PodDisruptionBudget.class);
        workloads(rendered)
                .forEach(deployment -> assertThat(budgets)
                        .as(deployment.getMetadata().getName())
                        .anyMatch(pdb -> ManifestValidator.selects(
                                pdb.getSpec().getSelector(),
                                deployment.getSpec().getTemplate().getMetadata().getLabels())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void workersGetLongerToStopThanTheyTakeToReleaseTheirJobs(String name, Rendered rendered) {
        Deployment worker = rendered.workerDeployment();
        Map<String, String> config = rendered.configOf(Rendered.container(worker));
        var grace = DURATION_SECONDS.matcher(config.get("ASSAY_WORKER_SHUTDOWN_GRACE"));
        assertThat(grace.matches()).isTrue();

        assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(Long.parseLong(grace.group(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void workerCachesAndNativeLibrariesLiveOnVolumes(String name, Rendered rendered) {
        Deployment worker = rendered.workerDeployment();
        PodSpec pod = worker.getSpec().getTemplate().getSpec();
        Container container = Rendered.container(worker);
        Map<String, String> config = rendered.configOf(container);

        assertThat(writableVolume(pod, container, config.get("ASSAY_CACHE_DIR")))
                .isNotNull();
        // The worker unpacks its natives under java.io.tmpdir (it has no home): the JVM's default must be a volume.
        assertThat(config.get("JAVA_TOOL_OPTIONS")).doesNotContain("java.io.tmpdir");
        assertThat(writableVolume(pod, container, JVM_TEMP_DIR)).isNotNull();
        assertThat(config.get("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    void workerConcurrencyTimesItsReplicasPerJobMatchesItsGpus(String name, Rendered rendered) {
        Container container = Rendered.container(rendered.workerDeployment());
        var gpus = container.getResources().getLimits().get("nvidia.com/gpu");
        Map<String, String> config = rendered.configOf(container);
        int engines = Integer.parseInt(config.get("ASSAY_WORKER_CONCURRENCY"))
                * Integer.parseInt(config.get("ASSAY_ENGINE_REPLICAS_PER_JOB"));

        assertThat(engines).isEqualTo(gpus == null ? 1 : Integer.parseInt(gpus.getAmount()));
    }

    /** The volume mounted writable at exactly {@code path}, or null. */
    /** java.io.tmpdir of the JVM on Linux when nothing sets it. */
    private static final String JVM_TEMP_DIR = "/tmp";

    private static Volume writableVolume(PodSpec pod, Container container, String path) {
        return container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path) && !Boolean.TRUE.equals(m.getReadOnly()))
                .map(VolumeMount::getName)
                .flatMap(volume ->
                        pod.getVolumes().stream().filter(v -> v.getName().equals(volume)))
                .filter(v -> v.getEmptyDir() != null || v.getPersistentVolumeClaim() != null)
                .findFirst()
                .orElse(null);
    }
}
