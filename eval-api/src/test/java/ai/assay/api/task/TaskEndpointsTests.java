package ai.assay.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TaskEndpointsTests extends ApiIntegrationTest {

    @Test
    void listsTasksWithTheirOptionsAndDefaults() {
        Response response = api.get("/tasks");

        assertThat(response.status()).isEqualTo(200);
        JsonNode smoke = null;
        for (JsonNode task : response.json().get("tasks")) {
            if (task.get("name").stringValue().equals("smoke")) {
                smoke = task;
            }
        }
        assertThat(smoke).isNotNull();
        assertThat(smoke.get("description").stringValue()).isNotBlank();
        JsonNode examples = smoke.get("options").get(0);
        assertThat(examples.get("name").stringValue()).isEqualTo("examples");
        assertThat(examples.get("type").stringValue()).isEqualTo("integer");
        assertThat(examples.get("default").intValue()).isEqualTo(20);
        assertThat(examples.get("minimum").longValue()).isEqualTo(0);
        assertThat(examples.has("defaultLong")).isFalse();
    }

    @Test
    void describesOneTaskAndNamesUnknownOnes() {
        assertThat(api.get("/tasks/smoke").json().get("name").stringValue()).isEqualTo("smoke");

        Response unknown = api.get("/tasks/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("type").stringValue()).isEqualTo("/problems/not-found");
    }
}
