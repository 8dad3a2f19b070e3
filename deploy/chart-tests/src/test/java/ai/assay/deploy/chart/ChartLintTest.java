package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict}: warnings fail as errors do. */
class ChartLintTest {

    @Test
    void lintPassesWithTheDefaultValues() {
        assertClean(AssayChart.lint());
    }

    @Test
    void lintPassesWithTheGpuAndKedaValues(@TempDir Path work) {
        assertClean(AssayChart.lint(AssayChart.ciValues("gpu-keda-values.yaml"), work));
    }

    @Test
    void lintFailsWhenTheValuesBreakTheSchema(@TempDir Path work) throws IOException {
        Path values = Files.writeString(work.resolve("bad-values.yaml"), "worker:\n  image:\n    tag: latest\n");

        LintResult result = AssayChart.lint(values, work);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("tag");
    }

    private static void assertClean(LintResult result) {
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        // INFO lines (such as "icon is recommended") are advice; nothing else may be reported.
        assertThat(result.getMessages()).allMatch(message -> message.startsWith("[INFO]"));
    }
}
