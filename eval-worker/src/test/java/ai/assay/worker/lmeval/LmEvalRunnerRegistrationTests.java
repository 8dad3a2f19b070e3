package ai.assay.worker.lmeval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The worker has a runner for every task the API may offer, the tasks of a deployment's own manifest included. */
class LmEvalRunnerRegistrationTests {

    @TempDir
    Path temp;

    private static DefaultListableBeanFactory registered(StandardEnvironment environment) {
        DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
        LmEvalRunnerRegistration.lmEvalTaskRunners(environment).postProcessBeanDefinitionRegistry(registry);
        return registry;
    }

    @Test
    void theShippedAndThePinnedManifestsTasksHaveRunners() {
        DefaultListableBeanFactory registry = registered(new StandardEnvironment());

        assertThat(registry.containsBeanDefinition("lmEvalRunner.arc_easy")).isTrue();
        assertThat(registry.containsBeanDefinition("lmEvalRunner.gsm8k_cot")).isTrue();
        assertThat(registry.containsBeanDefinition("lmEvalRunner.bbh_cot_zeroshot"))
                .isTrue();
    }

    @Test
    void aConfiguredManifestsTasksHaveRunnersToo() throws Exception {
        Path manifest = temp.resolve("manifest.json");
        Files.writeString(manifest, """
                {"commit": "0123456789abcdef0123456789abcdef01234567",
                 "files": {"mytask/mytask.yaml": "%s"},
                 "tasks": {"my_task": ["mytask/mytask.yaml"]}}
                """.formatted("0".repeat(64)));
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("assay.lmeval.manifest", manifest.toString())));

        DefaultListableBeanFactory registry = registered(environment);

        assertThat(registry.containsBeanDefinition("lmEvalRunner.my_task")).isTrue();
        assertThat(registry.containsBeanDefinition("lmEvalRunner.arc_easy")).isTrue();
        assertThat(registry.containsBeanDefinition("lmEvalRunner.gsm8k_cot"))
                .as("the pinned manifest's tasks are not those of another commit")
                .isFalse();
    }
}
