package ai.assay.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = "assay.api.queue-metrics-refresh=100ms")
class OperationsEndpointsTests extends ApiIntegrationTest {

    @Test
    void probesAnswerOnTheirKubernetesPaths() {
        for (String path :
                new String[] {"/actuator/health/liveness", "/actuator/health/readiness", "/livez", "/readyz"}) {
            Response response = api.get(path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.json().get("status").stringValue()).as(path).isEqualTo("UP");
        }
    }

    @Test
    void prometheusShowsTheQueueDepthByState() throws InterruptedException {
        api.postJson("/evaluations", smokeEvaluation("m"));

        String metrics = "";
        for (int i = 0; i < 50 && !metrics.contains("assay_queue_depth{state=\"queued\"} 1.0"); i++) {
            Thread.sleep(100);
            metrics = api.get("/actuator/prometheus").body();
        }
        assertThat(metrics)
                .contains("assay_queue_depth{state=\"queued\"} 1.0")
                .contains("assay_queue_depth{state=\"running\"} 0.0")
                .contains("assay_evaluations_submitted_total{outcome=\"created\"}");
    }

    @Test
    void publishesAnOpenApiDocumentAndSwaggerUi() {
        Response apiDocs = api.get("/v3/api-docs");

        assertThat(apiDocs.status()).isEqualTo(200);
        assertThat(apiDocs.json().get("paths").propertyNames())
                .contains("/evaluations", "/evaluations/{id}", "/evaluations/{id}/cancel", "/tasks");
        assertThat(apiDocs.json().get("components").get("schemas").has("CreateEvaluationRequest"))
                .isTrue();
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void unknownPathsAreProblemsToo() {
        Response response = api.get("/no-such-thing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/not-found");
    }

    @Test
    void aWrongMethodIsAProblem() {
        Response response = api.postEmpty("/tasks");

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/method-not-allowed");
    }
}
