package ai.assay.worker.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.worker.judge.client.JudgeClientProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The judge's settings as Spring binds them, and the API key kept out of sight. */
class JudgePropertiesTests {

    private static JudgeProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("assay.judge", JudgeProperties.class);
    }

    @Test
    void hasDefaultsThatNeedNoKeyAtStartUp() {
        JudgeProperties properties = bind(Map.of());

        assertThat(properties.baseUrl()).hasToString("https://api.openai.com/v1");
        assertThat(properties.apiKey()).isEmpty();
        assertThat(properties.concurrency()).isEqualTo(16);
        assertThat(properties.maxAttempts()).isEqualTo(8);
        assertThat(properties.unparsableReasks()).isEqualTo(2);
        assertThat(properties.offline()).isFalse();
        assertThat(properties.configsCommit()).isEqualTo("cd543a149df89434d8a54582c0151c0b945c3d20");
        assertThat(properties.prices()).isEmpty();
    }

    @Test
    void bindsPricesByModelName() {
        JudgeProperties properties = bind(Map.of(
                "assay.judge.prices.[gpt-4.1].prompt-per-million",
                "2.00",
                "assay.judge.prices.[gpt-4.1].completion-per-million",
                "8.00"));

        assertThat(properties.prices().get("gpt-4.1").promptPerMillion()).isEqualByComparingTo("2.00");
    }

    @Test
    void bindsTheReasksOfUnparsableAnswersAndRefusesANegativeCount() {
        assertThat(bind(Map.of("assay.judge.unparsable-reasks", "0")).unparsableReasks())
                .isZero();
        assertThat(bind(Map.of("assay.judge.unparsable-reasks", "5")).unparsableReasks())
                .isEqualTo(5);
        assertThatThrownBy(() -> new JudgeService(null, null, () -> null, null, null, 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesABaseUrlWithoutV1() {
        assertThatThrownBy(() -> bind(Map.of("assay.judge.base-url", "http://127.0.0.1:8000")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("must end in /v1");
    }

    @Test
    void neverShowsTheKey() {
        JudgeProperties properties = bind(Map.of("assay.judge.api-key", "sk-secret-value-123"));

        assertThat(properties.toString()).doesNotContain("sk-secret-value-123").contains("apiKey=<set>");
    }

    @Test
    void readsTheKeyFromAMountedSecretFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("api-key"), "sk-from-file\n");

        assertThat(bind(Map.of("assay.judge.api-key-file", secret.toString())).resolveApiKey())
                .isEqualTo("sk-from-file");
        assertThatThrownBy(() -> bind(Map.of(
                                "assay.judge.api-key-file",
                                dir.resolve("missing").toString()))
                        .resolveApiKey())
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("api-key-file");
    }

    @Test
    void withoutAKeyTheJudgeFailsOnlyWhenUsedAndSaysWhatToSet() {
        JudgeClientProvider openAiWithoutKey = new JudgeClientProvider(bind(Map.of()), new SimpleMeterRegistry());

        assertThatThrownBy(openAiWithoutKey::get)
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("ASSAY_JUDGE_API_KEY");

        try (JudgeClientProvider keylessServer = new JudgeClientProvider(
                bind(Map.of("assay.judge.base-url", "http://127.0.0.1:8000/v1")), new SimpleMeterRegistry())) {
            assertThat(keylessServer.get()).isNotNull();
        }
    }
}
