package ai.assay.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code helm install} prints after an installation. */
class NotesTest {

    @Test
    void defaultNotesTellHowToReachTheApiAndWhatIsMissing() {
        String notes = AssayChart.notes(null);

        assertThat(notes)
                .contains("Assay " + AssayChart.appVersion())
                .contains("kubectl -n assay port-forward service/assay-api 8080:8080")
                .contains("Workers: 1 replica(s), 1 evaluation(s) each, image variant cpu.")
                .contains("No database password is configured")
                .contains("No model volume is mounted")
                .contains("No judge API key is configured");
    }

    @Test
    void gpuKedaNotesShowTheIngressAndTheScalingAndNoWarnings() {
        String notes = AssayChart.notes(AssayChart.ciValues("gpu-keda-values.yaml"));

        assertThat(notes)
                .contains("https://assay.example.com/")
                .contains(
                        "scaled by KEDA between 0 and 8 on the queue, 2 evaluation(s) each, image variant cuda, 2 GPU(s) per pod.")
                .contains("file:///models/<model-directory>")
                .doesNotContain("WARNING");
    }
}
