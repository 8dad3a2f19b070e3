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
 * The API offers the generation tasks from lm-eval's own task files (here the shared fixtures as the tasks-dir) with
 * their generation_kwargs as the defaults of the option generation, accepts responses made elsewhere in place of a
 * model, and checks those responses' URI as every location a worker will open.
 */
@RequiresSharedFixtures
class GenerationTaskSubmissionTests extends ApiIntegrationTest {

    @DynamicPropertySource
    static void taskFiles(DynamicPropertyRegistry registry) {
        registry.add("assay.lmeval.tasks-dir", () -> SharedFixtures.tasks().toString());
    }

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    @Test
    void theTaskListShowsAGenerationTasksOwnKwargsAsDefaults() {
        JsonNode gsm8k = api.get("/tasks/gsm8k_cot").json();

        JsonNode generation = option(gsm8k, "generation");
        assertThat(generation.get("default").toString())
                .isEqualTo("{\"maxNewTokens\":256,\"temperature\":0.0,\"topP\":1.0,"
                        + "\"stop\":[\"Q:\",\"</s>\",\"<|im_end|>\"],\"seed\":0}");
        assertThat(option(gsm8k, "outputs").get("type").stringValue()).isEqualTo("generation-responses");
        assertThat(option(api.get("/tasks/ifeval").json(), "generation")
                        .get("default")
                        .get("maxNewTokens")
                        .intValue())
                .isEqualTo(1280);
    }

    @Test
    void responsesMadeElsewhereAreSubmittedWithoutAModelAndStoredWithTheDefaultsFilledIn() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "vllm-run-7"},
                 "tasks": [{"name": "gsm8k", "outputs": [{"doc_id": 0, "response": "#### 18"}], "limit": 1}]}
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode options = response.json().get("tasks").get(0).get("options");
        assertThat(options.get("outputs").get(0).get("response").stringValue()).isEqualTo("#### 18");
        assertThat(options.get("generation").get("stop").toString())
                .isEqualTo("[\"Question:\",\"</s>\",\"<|im_end|>\"]");
    }

    @Test
    void aModelDirectoryIsRequiredWhenATaskGenerates() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "m"},
                 "tasks": [{"name": "gsm8k", "outputs": [{"doc_id": 0, "response": "#### 18"}]}, {"name": "gsm8k_cot"}]}
                """);

        assertThat(response.status()).isEqualTo(400);
        assertThat(pointers(response)).containsExactly("/model/uri");
    }

    @Test
    void badGenerationOptionsAndRefusedResponseLocationsAreProblemsThatStoreNothing() {
        Response badOptions = api.postJson("/evaluations", """
                {"model": {"name": "m", "uri": "/models/m"},
                 "tasks": [{"name": "gsm8k", "generation": {"temperature": -1, "stop": ["", 3], "beams": 4}}]}
                """);
        Response refused = api.postJson("/evaluations", """
                {"model": {"name": "m"},
                 "tasks": [{"name": "gsm8k", "outputs": "http://127.0.0.1:5432/samples.jsonl"},
                           {"name": "ifeval", "outputs": "file:///etc/shadow"}]}
                """);

        assertThat(badOptions.status()).as(badOptions.body()).isEqualTo(400);
        assertThat(pointers(badOptions))
                .contains(
                        "/tasks/0/generation/temperature",
                        "/tasks/0/generation/stop/0",
                        "/tasks/0/generation/stop/1",
                        "/tasks/0/generation/beams");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(pointers(refused)).containsExactlyInAnyOrder("/tasks/0/outputs", "/tasks/1/outputs");
        assertThat(jdbc.sql("SELECT count(*) FROM evaluation").query(Long.class).single())
                .isZero();
    }

    private static JsonNode option(JsonNode task, String name) {
        for (JsonNode option : task.get("options")) {
            if (option.get("name").stringValue().equals(name)) {
                return option;
            }
        }
        throw new AssertionError("no option " + name + " in " + task);
    }

    private static java.util.List<String> pointers(Response problem) {
        java.util.List<String> pointers = new java.util.ArrayList<>();
        problem.json().get("errors").forEach(e -> pointers.add(e.get("pointer").stringValue()));
        return pointers;
    }
}
