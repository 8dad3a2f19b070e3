package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Where the deployment enables code execution, a code task is accepted like any other generation task. */
@RequiresSharedFixtures
class CodeTaskSubmissionEnabledTests extends ApiIntegrationTest {

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
        registry.add("assay.code-execution.enabled", () -> "true");
    }

    @Test
    void aCodeTaskIsAcceptedWhereCodeExecutionIsEnabled() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "m"},
                 "tasks": [{"name": "humaneval", "outputs": [{"doc_id": 0, "response": "    return 1"}], "limit": 1}]}
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
    }
}
