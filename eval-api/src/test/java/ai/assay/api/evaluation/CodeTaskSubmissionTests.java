package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Where code execution is not enabled (the default), a submission naming a task that runs its model's code is
 * refused with a 422 problem at the task's pointer and stores nothing; GET /tasks marks those tasks.
 */
@RequiresSharedFixtures
class CodeTaskSubmissionTests extends ApiIntegrationTest {

    @DynamicPropertySource
    static void taskFiles(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
    }

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    @Test
    void theTaskListSaysWhichTasksRunTheirModelsCode() {
        assertThat(api.get("/tasks/humaneval").json().get("runsCode").booleanValue())
                .isTrue();
        assertThat(api.get("/tasks/humaneval_plus").json().get("runsCode").booleanValue())
                .isTrue();
        assertThat(api.get("/tasks/gsm8k").json().get("runsCode").booleanValue())
                .isFalse();
        JsonNode listed = api.get("/tasks").json().get("tasks");
        boolean humanevalListed = false;
        for (JsonNode task : listed) {
            if (task.get("name").stringValue().equals("humaneval")) {
                humanevalListed = task.get("runsCode").booleanValue();
            }
        }
        assertThat(humanevalListed).isTrue();
    }

    @Test
    void aCodeTaskIsRefusedWhileCodeExecutionIsNotEnabledAndNothingIsStored() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "m"},
                 "tasks": [{"name": "gsm8k", "outputs": [{"doc_id": 0, "response": "#### 18"}]},
                           {"name": "humaneval", "outputs": [{"doc_id": 0, "response": "    return 1"}]}]}
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(422);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/code-execution-disabled");
        assertThat(response.json().get("errors")).hasSize(1);
        JsonNode error = response.json().get("errors").get(0);
        assertThat(error.get("pointer").stringValue()).isEqualTo("/tasks/1");
        assertThat(error.get("detail").stringValue())
                .contains(
                        "humaneval",
                        "code execution is not enabled for this deployment",
                        "assay.code-execution.enabled");
        assertThat(response.json().get("title").stringValue()).isEqualTo("Code execution not enabled");
        assertThat(jdbc.sql("SELECT count(*) FROM evaluation").query(Long.class).single())
                .isZero();
    }
}
