package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The validator behind every rendering rejects what the API server would reject. */
class ManifestValidatorTest {

    private static final String LABELS = """
              labels:
                app.kubernetes.io/instance: assay
                app.kubernetes.io/component: worker
            """;

    private static String deployment(String containerExtra, String podExtra) {
        return """
                ---
                # Source: assay/templates/worker/deployment.yaml
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: assay-worker
                  namespace: assay
                %s
                spec:
                  selector:
                    matchLabels:
                      app.kubernetes.io/component: worker
                  template:
                    metadata:
                %s
                    spec:
                      containers:
                        - name: worker
                          image: assay/eval-worker:0.1.0
                          ports:
                            - name: management
                              containerPort: 8081
                %s
                %s
                """.formatted(
                        LABELS.indent(0).stripTrailing(),
                        LABELS.indent(4).stripTrailing(),
                        containerExtra.indent(10).stripTrailing(),
                        podExtra.indent(6).stripTrailing());
    }

    @Test
    void acceptsAWellFormedDeployment() {
        Rendered rendered = Rendered.parse(deployment("""
                readinessProbe:
                  httpGet: {path: /readyz, port: management}""", ""));

        assertThat(rendered.workerDeployment().getSpec().getTemplate().getSpec().getContainers())
                .hasSize(1);
    }

    @Test
    void rejectsAFieldTheKubernetesApiDoesNotHave() {
        assertThatThrownBy(() -> Rendered.parse(deployment("""
                securityContext:
                  readOnlyRootFileSystem: true""", "")))
                .hasMessageContaining("unknown field(s) [readOnlyRootFileSystem]");
    }

    @Test
    void rejectsAValueOfTheWrongType() {
        assertThatThrownBy(() -> Rendered.parse(deployment("""
                resources:
                  limits: {memory: [8Gi]}""", "")))
                .hasMessageContaining("is not a valid Kubernetes object");
    }

    @Test
    void rejectsAProbeOnAPortTheContainerDoesNotOpen() {
        assertThatThrownBy(() -> Rendered.parse(deployment("""
                livenessProbe:
                  httpGet: {path: /livez, port: http}""", "")))
                .hasMessageContaining("livenessProbe: port http is no port of the container");
    }

    @Test
    void rejectsAMountOfAMissingVolumeAndADanglingConfigMap() {
        assertThatThrownBy(() -> Rendered.parse(deployment("""
                envFrom:
                  - configMapRef: {name: assay-worker}
                volumeMounts:
                  - {name: models, mountPath: /models}""", "")))
                .hasMessageContaining("mounts volume models")
                .hasMessageContaining("envFrom names ConfigMap assay-worker");
    }

    @Test
    void rejectsAnInvalidQuantityAndAnInvalidName() {
        assertThatThrownBy(
                        () -> Rendered.parse(deployment("""
                resources:
                  limits: {memory: eight}""", "").replace("name: assay-worker", "name: Assay_Worker")))
                .hasMessageContaining("invalid quantity")
                .hasMessageContaining("invalid name Assay_Worker");
    }

    @Test
    void rejectsAnUnknownScaledObjectFieldAndANonStringTriggerSetting() {
        String scaledObject = """
                ---
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: assay-worker
                  namespace: assay
                  labels: {app.kubernetes.io/instance: assay}
                spec:
                  scaleTargetRef: {name: assay-worker}
                  maxReplicas: 4
                  triggers:
                    - type: postgresql
                      metadata: {port: 5432}
                """;

        assertThatThrownBy(() -> Rendered.parse(deployment("", "") + scaledObject))
                .hasMessageContaining("unknown field spec.maxReplicas")
                .hasMessageContaining("spec.triggers[0].metadata.port is not a string");
    }
}
