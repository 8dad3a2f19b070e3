package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelBuildRecord;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class EvaluationEndpointsTests extends ApiIntegrationTest {

    @Autowired
    private EvaluationRepository evaluations;

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    @Test
    void submittingQueuesTheEvaluationAndAnswersAtOnce() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "llama3-8b-dpo", "uri": "/models/llama3-8b-dpo/./step-100/", "revision": "step-100"},
                 "tasks": [{"name": "smoke", "examples": 5}],
                 "labels": {"run": "dpo-1"}, "priority": 7, "callbackUrl": "https://ci.example.org/done"}
                """);

        assertThat(response.status()).isEqualTo(202);
        JsonNode body = response.json();
        String id = body.get("id").stringValue();
        assertThat(response.location()).isEqualTo("/evaluations/" + id);
        assertThat(body.get("state").stringValue()).isEqualTo("queued");
        assertThat(body.get("model").get("uri").stringValue()).isEqualTo("file:///models/llama3-8b-dpo/step-100");
        assertThat(body.get("model").get("revision").stringValue()).isEqualTo("step-100");
        assertThat(body.get("priority").intValue()).isEqualTo(7);
        assertThat(body.get("labels").get("run").stringValue()).isEqualTo("dpo-1");
        assertThat(body.get("callbackUrl").stringValue()).isEqualTo("https://ci.example.org/done");
        assertThat(body.get("maxAttempts").intValue()).isEqualTo(3);
        JsonNode task = body.get("tasks").get(0);
        assertThat(task.get("name").stringValue()).isEqualTo("smoke");
        assertThat(task.get("state").stringValue()).isEqualTo("queued");
        assertThat(task.get("options").get("examples").intValue()).isEqualTo(5);
        assertThat(task.get("options").get("millisPerExample").intValue())
                .as("defaults are filled in")
                .isEqualTo(50);
        assertThat(task.get("progress").get("done").intValue()).isZero();

        Response read = api.get("/evaluations/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(body);
    }

    @Test
    void anAdapterIsStoredNormalizedAndShownWithTheModel() {
        Response response = api.postJson("/evaluations", """
                {"model": {"name": "llama3-8b-lora", "uri": "/models/llama3-8b", "adapter": "file:///models/lora/./step-500/"},
                 "tasks": [{"name": "smoke"}]}
                """);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        JsonNode model = api.get("/evaluations/" + response.json().get("id").stringValue())
                .json()
                .get("model");
        assertThat(model.get("uri").stringValue()).isEqualTo("file:///models/llama3-8b");
        assertThat(model.get("adapter").stringValue()).isEqualTo("file:///models/lora/step-500");

        JsonNode plain = api.get("/evaluations/" + id(api.postJson("/evaluations", smokeEvaluation("m"))))
                .json()
                .get("model");
        assertThat(plain.get("adapter").isNull()).as("no adapter").isTrue();
    }

    @Test
    void listsNewestFirstWithFiltersAndPages() {
        String first = id(api.postJson("/evaluations", smokeEvaluation("model-a")));
        String second = id(api.postJson("/evaluations", smokeEvaluation("model-b")));
        String third = id(api.postJson("/evaluations", """
                {"model": {"name": "model-a", "uri": "file:///models/a"}, "tasks": [{"name": "smoke"}],
                 "labels": {"run": "kto-2"}}
                """));
        api.postEmpty("/evaluations/" + second + "/cancel");

        assertThat(ids(api.get("/evaluations"))).containsExactly(third, second, first);
        assertThat(ids(api.get("/evaluations?model=model-a"))).containsExactly(third, first);
        assertThat(ids(api.get("/evaluations?state=cancelled"))).containsExactly(second);
        assertThat(ids(api.get("/evaluations?state=queued&label=run:dpo-1"))).containsExactly(first);
        assertThat(ids(api.get("/evaluations?label=run:dpo-1&label=step:100"))).containsExactly(second, first);

        JsonNode page = api.get("/evaluations?page=1&size=2").json();
        assertThat(ids(page)).containsExactly(first);
        assertThat(page.get("totalItems").longValue()).isEqualTo(3);
        assertThat(page.get("totalPages").longValue()).isEqualTo(2);
        assertThat(page.get("size").intValue()).isEqualTo(2);
        assertThat(ids(api.get("/evaluations?page=5"))).isEmpty();
    }

    @Test
    void rejectsBadListingParameters() {
        for (String query :
                List.of("state=paused", "page=-1", "size=0", "size=201", "label=run", "label=:x", "page=first")) {
            Response response = api.get("/evaluations?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.isProblem()).as(query).isTrue();
            assertThat(response.json().get("type").stringValue()).as(query).isEqualTo("/problems/invalid-parameter");
            assertThat(response.json().get("parameter").stringValue()).as(query).isEqualTo(query.split("=")[0]);
        }
    }

    @Test
    void cancellingAQueuedEvaluationCancelsItAtOnce() {
        String id = id(api.postJson("/evaluations", smokeEvaluation("m")));

        Response cancel = api.postEmpty("/evaluations/" + id + "/cancel");

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("state").stringValue()).isEqualTo("cancelled");
        assertThat(cancel.json().get("finishedAt").isNull()).isFalse();
        assertThat(cancel.json().get("tasks").get(0).get("state").stringValue()).isEqualTo("cancelled");
        assertThat(api.postEmpty("/evaluations/" + id + "/cancel").status())
                .as("again: harmless")
                .isEqualTo(200);
    }

    @Test
    void cancellingAQueuedEvaluationSchedulesItsCallback() {
        String id = id(api.postJson("/evaluations", """
                {"model": {"name": "m", "uri": "/models/m"}, "tasks": [{"name": "smoke"}],
                 "callbackUrl": "https://ci.example.org/hooks/assay"}
                """));

        api.postEmpty("/evaluations/" + id + "/cancel");

        var delivery = jdbc.sql("SELECT url, event, payload->>'state' AS state FROM callback_delivery"
                        + " WHERE evaluation_id = :id")
                .param("id", UUID.fromString(id))
                .query()
                .singleRow();
        assertThat(delivery)
                .containsEntry("url", "https://ci.example.org/hooks/assay")
                .containsEntry("event", "evaluation.cancelled")
                .containsEntry("state", "cancelled");
    }

    @Test
    void cancellingARunningEvaluationAsksItsWorkerToStop() {
        String id = id(api.postJson("/evaluations", smokeEvaluation("m")));
        jdbc.sql("""
                UPDATE evaluation SET state = 'running', attempt = 1, lease_owner = 'worker-1',
                       lease_expires_at = now() + interval '1 minute', started_at = now()
                 WHERE id = :id""").param("id", UUID.fromString(id)).update();

        Response cancel = api.postEmpty("/evaluations/" + id + "/cancel");

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("state").stringValue()).isEqualTo("running");
        assertThat(cancel.json().get("cancelRequested").booleanValue()).isTrue();
        assertThat(cancel.json().get("worker").stringValue()).isEqualTo("worker-1");
    }

    @Test
    void anEvaluationShowsTheModelBuildItsWorkerRecorded() {
        String id = id(api.postJson("/evaluations", smokeEvaluation("m")));
        assertThat(api.get("/evaluations/" + id)
                        .json()
                        .get("model")
                        .get("build")
                        .isNull())
                .as("nothing was built yet")
                .isTrue();
        jdbc.sql("""
                UPDATE evaluation SET state = 'running', attempt = 1, lease_owner = 'worker-1',
                       lease_expires_at = now() + interval '1 minute', started_at = now()
                 WHERE id = :id""").param("id", UUID.fromString(id)).update();
        evaluations.recordModelBuild(
                UUID.fromString(id),
                "worker-1",
                1,
                new ModelBuildRecord(
                        "assay-builder-1",
                        "c0ffee",
                        true,
                        "bf16",
                        List.of("MatMul", "com.microsoft.GroupQueryAttention"),
                        List.of(new ModelBuildRecord.CheckpointFile("model.safetensors", 4096, "ab".repeat(32)))));

        JsonNode model = api.get("/evaluations/" + id).json().get("model");

        assertThat(model.get("name").stringValue()).isEqualTo("m");
        JsonNode build = model.get("build");
        assertThat(build.get("builderVersion").stringValue()).isEqualTo("assay-builder-1");
        assertThat(build.get("cacheKey").stringValue()).isEqualTo("c0ffee");
        assertThat(build.get("reused").booleanValue()).isTrue();
        assertThat(build.get("dtype").stringValue()).isEqualTo("bf16");
        assertThat(build.get("operators").get(1).stringValue()).isEqualTo("com.microsoft.GroupQueryAttention");
        JsonNode file = build.get("files").get(0);
        assertThat(file.get("name").stringValue()).isEqualTo("model.safetensors");
        assertThat(file.get("size").longValue()).isEqualTo(4096);
        assertThat(file.get("sha256").stringValue()).isEqualTo("ab".repeat(32));
    }

    @Test
    void aFinishedEvaluationCannotBeCancelled() {
        String id = id(api.postJson("/evaluations", smokeEvaluation("m")));
        jdbc.sql("UPDATE evaluation SET state = 'succeeded', finished_at = now() WHERE id = :id")
                .param("id", UUID.fromString(id))
                .update();

        Response cancel = api.postEmpty("/evaluations/" + id + "/cancel");

        assertThat(cancel.status()).isEqualTo(409);
        assertThat(cancel.json().get("type").stringValue()).isEqualTo("/problems/evaluation-finished");
        assertThat(cancel.json().get("state").stringValue()).isEqualTo("succeeded");
    }

    @Test
    void unknownIdsAreNotFound() {
        for (String path : List.of(
                "/evaluations/" + UUID.randomUUID(),
                "/evaluations/not-a-uuid",
                "/evaluations/" + UUID.randomUUID() + "/cancel")) {
            Response response = path.endsWith("cancel") ? api.postEmpty(path) : api.get(path);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.isProblem()).isTrue();
            assertThat(response.json().get("type").stringValue()).isEqualTo("/problems/not-found");
            assertThat(response.json().get("instance").stringValue()).isEqualTo(path);
        }
    }

    private static String id(Response response) {
        assertThat(response.status()).isEqualTo(202);
        return response.json().get("id").stringValue();
    }

    private static List<String> ids(Response response) {
        assertThat(response.status()).isEqualTo(200);
        return ids(response.json());
    }

    private static List<String> ids(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .map(e -> e.get("id").stringValue())
                .toList();
    }
}
