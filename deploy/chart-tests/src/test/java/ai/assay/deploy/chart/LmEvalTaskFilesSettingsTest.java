package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API and the workers read lm-eval's generation task files the same way (both load the catalog): the offline
 * switch and a local tasks directory reach both, and the API caches downloads in its writable emptyDir.
 */
class LmEvalTaskFilesSettingsTest {

    @Test
    void byDefaultBothComponentsMayDownloadAndNameNoTasksDirectory() {
        Rendered rendered = AssayChart.render(null, Map.of());

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            Map<String, String> data = rendered.one(ConfigMap.class, name).getData();
            assertThat(data).as(name).containsEntry("ASSAY_LMEVAL_OFFLINE", "false");
            assertThat(data).as(name).doesNotContainKey("ASSAY_LMEVAL_TASKS_DIR");
        }
        assertThat(rendered.one(ConfigMap.class, "assay-api").getData())
                .containsEntry("ASSAY_CACHE_DIR", "/tmp/assay-cache");
    }

    @Test
    void anOfflineDeploymentWithATasksDirectorySetsBoth() {
        Rendered rendered =
                AssayChart.render(null, Map.of("lmeval.offline", "true", "lmeval.tasksDir", "/mnt/lm-eval/tasks"));

        for (String name : new String[] {"assay-api", "assay-worker"}) {
            assertThat(rendered.one(ConfigMap.class, name).getData())
                    .as(name)
                    .containsEntry("ASSAY_LMEVAL_OFFLINE", "true")
                    .containsEntry("ASSAY_LMEVAL_TASKS_DIR", "/mnt/lm-eval/tasks");
        }
    }
}
