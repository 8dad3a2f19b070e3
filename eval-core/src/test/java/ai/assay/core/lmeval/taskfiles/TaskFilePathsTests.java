package ai.assay.core.lmeval.taskfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskFilePathsTests {

    @Test
    void anIncludeIsResolvedAgainstTheIncludingFilesDirectory() {
        assertThat(TaskFilePaths.resolve("bbh/cot_fewshot", "_cot_fewshot_template_yaml"))
                .isEqualTo("bbh/cot_fewshot/_cot_fewshot_template_yaml");
        assertThat(TaskFilePaths.resolve("gsm8k", "gsm8k-cot.yaml")).isEqualTo("gsm8k/gsm8k-cot.yaml");
        assertThat(TaskFilePaths.resolve("mmlu/default", "../_template.yaml")).isEqualTo("mmlu/_template.yaml");
        assertThat(TaskFilePaths.resolve("", "./ifeval/ifeval.yaml")).isEqualTo("ifeval/ifeval.yaml");
    }

    @Test
    void anIncludeThatLeavesTheTreeOrIsAbsoluteIsRefused() {
        assertThatThrownBy(() -> TaskFilePaths.resolve("gsm8k", "../../etc/hostname"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves lm-eval's task tree");
        assertThatThrownBy(() -> TaskFilePaths.resolve("gsm8k", "/etc/hostname"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskFilePaths.resolve("gsm8k", "C:\\x.yaml"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskFilePaths.resolve("gsm8k", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyNormalRelativePathsAreValid() {
        assertThat(TaskFilePaths.requireValid("bbh/cot_zeroshot/_cot_zeroshot_template_yaml"))
                .isEqualTo("bbh/cot_zeroshot/_cot_zeroshot_template_yaml");
        for (String path : new String[] {"", "/gsm8k.yaml", "a//b.yaml", "a/./b.yaml", "a/../b.yaml", "a/", "a\\b"}) {
            assertThatThrownBy(() -> TaskFilePaths.requireValid(path))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
