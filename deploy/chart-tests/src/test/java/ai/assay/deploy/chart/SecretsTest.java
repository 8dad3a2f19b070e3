package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Secret values given in values end up in the chart's Secret and nowhere else; existing Secrets take precedence. */
class SecretsTest {

    static final Map<String, String> PLAIN_SECRETS = Map.of(
            "database.password", "db-pass-6f1c0e",
            "judge.apiKey", "sk-judge-93b2aa",
            "datasets.hfToken", "hf_token_51d7c2",
            "worker.callbacks.secret", "hmac-key-0d4e88",
            "api.auth.bootstrapToken", "assay_bootstrap-7c1f9e2a4b6d8e0f1a3c5e7b9d");

    @Test
    void plainSecretValuesAreStoredInTheChartSecretOnly() {
        Rendered rendered = AssayChart.render(null, PLAIN_SECRETS);
        Secret secret = rendered.one(Secret.class, "assay");

        assertThat(decode(secret.getData()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "database-password", "db-pass-6f1c0e",
                        "judge-api-key", "sk-judge-93b2aa",
                        "hf-token", "hf_token_51d7c2",
                        "callback-secret", "hmac-key-0d4e88",
                        "api-bootstrap-token", "assay_bootstrap-7c1f9e2a4b6d8e0f1a3c5e7b9d"));
        for (String value : PLAIN_SECRETS.values()) {
            String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            assertThat(rendered.yaml()).as("plain text of a secret").doesNotContain(value);
            for (Rendered.Document document : rendered.documents()) {
                if (!(document.object() instanceof Secret)) {
                    assertThat(document.yaml()).as(document.source()).doesNotContain(encoded);
                }
            }
        }
    }

    @Test
    void plainSecretValuesAreReferencedFromTheChartSecret() {
        Rendered rendered = AssayChart.render(null, PLAIN_SECRETS);

        assertThat(references(Rendered.container(rendered.workerDeployment()).getEnv()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SPRING_DATASOURCE_PASSWORD", "assay/database-password",
                        "ASSAY_JUDGE_API_KEY", "assay/judge-api-key",
                        "ASSAY_DATASETS_HF_TOKEN", "assay/hf-token",
                        "ASSAY_WORKER_CALLBACK_SECRET", "assay/callback-secret"));
        assertThat(references(Rendered.container(rendered.apiDeployment()).getEnv()))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "SPRING_DATASOURCE_PASSWORD", "assay/database-password",
                        "ASSAY_API_AUTH_BOOTSTRAP_TOKEN", "assay/api-bootstrap-token"));
    }

    @Test
    void theBootstrapTokenComesFromAnExistingSecret() {
        Rendered rendered = AssayChart.render(
                null, Map.of("api.auth.existingSecret", "assay-api-auth", "api.auth.existingSecretKey", "token"));

        assertThat(references(Rendered.container(rendered.apiDeployment()).getEnv()))
                .containsEntry("ASSAY_API_AUTH_BOOTSTRAP_TOKEN", "assay-api-auth/token");
        assertThat(references(Rendered.container(rendered.workerDeployment()).getEnv()))
                .doesNotContainKey("ASSAY_API_AUTH_BOOTSTRAP_TOKEN");
    }

    @Test
    void anExistingSecretWinsOverAPlainValue() {
        Rendered rendered = AssayChart.render(
                null,
                Map.of(
                        "database.password", "db-pass-6f1c0e",
                        "database.existingSecret", "pg-app",
                        "database.existingSecretPasswordKey", "pw"));

        assertThat(rendered.all(Secret.class)).isEmpty();
        assertThat(rendered.yaml()).doesNotContain("db-pass-6f1c0e");
        assertThat(references(Rendered.container(rendered.apiDeployment()).getEnv()))
                .containsExactlyEntriesOf(Map.of("SPRING_DATASOURCE_PASSWORD", "pg-app/pw"));
    }

    @Test
    void secretChangesRollThePods() {
        String before = checksum(AssayChart.render(null, Map.of("judge.apiKey", "sk-one")));
        String after = checksum(AssayChart.render(null, Map.of("judge.apiKey", "sk-two")));

        assertThat(before).isNotEqualTo(after);
    }

    @Test
    void kedaAuthenticatesWithTheChartSecretWhenThePasswordIsAPlainValue() {
        Rendered rendered =
                AssayChart.render(null, Map.of("worker.keda.enabled", "true", "database.password", "db-pass-6f1c0e"));
        Map<String, Object> spec = GpuKedaValuesTest.spec(rendered.oneCustom("TriggerAuthentication", "assay-worker"));

        assertThat((List<?>) spec.get("secretTargetRef"))
                .singleElement()
                .isEqualTo(Map.of("parameter", "password", "name", "assay", "key", "database-password"));
    }

    @Test
    void kedaNeedsNoAuthenticationWithoutAPassword() {
        Rendered rendered = AssayChart.render(null, Map.of("worker.keda.enabled", "true"));
        Map<String, Object> trigger = GpuKedaValuesTest.map(
                ((List<?>) GpuKedaValuesTest.spec(rendered.oneCustom("ScaledObject", "assay-worker"))
                                .get("triggers"))
                        .get(0));

        assertThat(rendered.custom("TriggerAuthentication")).isEmpty();
        assertThat(trigger).doesNotContainKey("authenticationRef");
        // A bare Service name would not resolve from KEDA's namespace.
        assertThat(GpuKedaValuesTest.map(trigger.get("metadata"))).containsEntry("host", "postgresql.assay.svc");
    }

    private static String checksum(Rendered rendered) {
        return rendered.workerDeployment()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/secret");
    }

    private static Map<String, String> references(List<EnvVar> env) {
        return env.stream()
                .collect(Collectors.toMap(
                        EnvVar::getName,
                        e -> e.getValueFrom().getSecretKeyRef().getName() + "/"
                                + e.getValueFrom().getSecretKeyRef().getKey()));
    }

    private static Map<String, String> decode(Map<String, String> data) {
        return data.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
    }
}
