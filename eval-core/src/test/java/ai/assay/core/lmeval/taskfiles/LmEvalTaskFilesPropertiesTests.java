package ai.assay.core.lmeval.taskfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The task files' settings as Spring binds them under {@code assay.lmeval}. */
class LmEvalTaskFilesPropertiesTests {

    private static LmEvalTaskFilesProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("assay.lmeval", LmEvalTaskFilesProperties.class);
    }

    @Test
    void theDefaultsDownloadFromThePinnedCommitOnGithub() {
        LmEvalTaskFilesProperties properties = bind(Map.of());

        assertThat(properties.baseUrl())
                .hasToString("https://raw.githubusercontent.com/EleutherAI/lm-evaluation-harness");
        assertThat(properties.commit()).isEqualTo("4e7e0d47f33bc71070c1d38394bafbb52b117163");
        assertThat(properties.tasksDir()).isNull();
        assertThat(properties.manifest()).isNull();
        assertThat(properties.cacheDir()).isNull();
        assertThat(properties.offline()).isFalse();
        assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.readTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(properties.retries()).isEqualTo(4);
        assertThat(properties.retryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties).isEqualTo(LmEvalTaskFilesProperties.of(null, false));
    }

    @Test
    void bindsEverySettingByItsDocumentedName() {
        LmEvalTaskFilesProperties properties = bind(Map.of(
                "assay.lmeval.tasks-dir", "/srv/lm_eval/tasks",
                "assay.lmeval.base-url", "https://mirror.example/lm-evaluation-harness",
                "assay.lmeval.commit", "0123456789abcdef0123456789abcdef01234567",
                "assay.lmeval.manifest", "/srv/manifest.json",
                "assay.lmeval.cache-dir", "/var/cache/lm-eval",
                "assay.lmeval.offline", "true",
                "assay.lmeval.retries", "1",
                "assay.lmeval.retry-delay", "500ms"));

        assertThat(properties.tasksDir()).isEqualTo(Path.of("/srv/lm_eval/tasks"));
        assertThat(properties.baseUrl()).hasToString("https://mirror.example/lm-evaluation-harness");
        assertThat(properties.commit()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(properties.manifest()).isEqualTo(Path.of("/srv/manifest.json"));
        assertThat(properties.cacheDir()).isEqualTo(Path.of("/var/cache/lm-eval"));
        assertThat(properties.offline()).isTrue();
        assertThat(properties.retries()).isEqualTo(1);
        assertThat(properties.retryDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aCommitThatIsNotAFullHashIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("assay.lmeval.commit", "main")))
                .isInstanceOf(BindException.class)
                .rootCause()
                .hasMessageContaining("assay.lmeval.commit must be a full lm-eval commit hash");
    }

    @Test
    void theCacheIsUnderTheServicesCacheDirectoryUnlessSet() {
        assertThat(LmEvalTaskFiles.defaultCacheRoot(LmEvalTaskFilesProperties.of(null, false), "/var/cache/assay"))
                .isEqualTo(Path.of("/var/cache/assay/lmeval/tasks"));
        LmEvalTaskFilesProperties own = bind(Map.of("assay.lmeval.cache-dir", "/srv/cache"));
        assertThat(LmEvalTaskFiles.defaultCacheRoot(own, "/var/cache/assay")).isEqualTo(Path.of("/srv/cache"));
        assertThat(LmEvalTaskFiles.defaultCacheRoot(LmEvalTaskFilesProperties.of(null, false), null))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "assay", "lmeval", "tasks"));
    }

    @Test
    void theBeanCachesUnderTheServicesCacheDirectoryAndReadsThePinnedManifest() {
        new ApplicationContextRunner()
                .withUserConfiguration(TaskFilesOnly.class)
                .withPropertyValues("assay.cache-dir=/var/cache/assay", "assay.lmeval.offline=true")
                .run(context -> {
                    LmEvalTaskFiles files = context.getBean(LmEvalTaskFiles.class);
                    assertThat(files.cacheDirectory())
                            .isEqualTo(
                                    Path.of("/var/cache/assay/lmeval/tasks/4e7e0d47f33bc71070c1d38394bafbb52b117163"));
                    assertThat(files.manifest().commit()).isEqualTo(TaskFileManifest.PINNED_COMMIT);
                    assertThat(context.getBean(LmEvalTaskFilesProperties.class).offline())
                            .isTrue();
                });
    }

    /** The two beans as eval-core's configuration declares them. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LmEvalTaskFilesProperties.class)
    @Import(LmEvalTaskFiles.class)
    static class TaskFilesOnly {}
}
