package ai.assay.reference.lmeval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generation task naming a {@code !function} that has no Java implementation is refused, naming it. */
class UnknownFunctionTests {

    @TempDir
    Path dir;

    private static final String TASK = """
            task: probe
            dataset_path: some/data
            output_type: generate_until
            test_split: test
            doc_to_text: "{{q}}"
            doc_to_target: "{{a}}"
            """;

    private void load(String yaml) throws IOException {
        Files.createDirectories(dir.resolve("probe"));
        Files.writeString(dir.resolve("probe/probe.yaml"), yaml);
        TaskTree.of(TaskFile.under(dir));
    }

    @Test
    void fewshotSamplesFromAnUnknownFunctionAreRefused() {
        assertThatThrownBy(() -> load(TASK
                        + "metric_list:\n  - metric: exact_match\n"
                        + "fewshot_config:\n  sampler: first_n\n  samples: !function utils.list_fewshot_samples\n"))
                .hasMessageContaining("!function probe:utils.list_fewshot_samples");
    }

    @Test
    void anUnknownAggregationFunctionIsRefused() {
        assertThatThrownBy(() -> load(TASK
                        + "metric_list:\n  - metric: exact_match\n    aggregation: !function utils.agg_weighted\n"))
                .hasMessageContaining("!function probe:utils.agg_weighted");
    }

    @Test
    void anUnknownProcessResultsFunctionIsRefused() {
        assertThatThrownBy(() -> load(TASK
                        + "process_results: !function utils.process_results\n"
                        + "metric_list:\n  - metric: acc\n"))
                .hasMessageContaining("!function probe:utils.process_results");
    }

    @Test
    void anUnknownDocToTextFunctionIsRefused() {
        assertThatThrownBy(() -> load(TASK.replace("\"{{q}}\"", "!function utils.doc_to_text")
                        + "metric_list:\n  - metric: exact_match\n"))
                .hasMessageContaining("!function probe:utils.doc_to_text");
    }

    @Test
    void aGenerationMetricAssayDoesNotComputeIsRefused() {
        assertThatThrownBy(() -> load(TASK + "metric_list:\n  - metric: bleu\n"))
                .hasMessageContaining("metric 'bleu' is not supported for generate_until");
    }
}
