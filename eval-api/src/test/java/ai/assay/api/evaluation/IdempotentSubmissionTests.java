package ai.assay.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.api.ApiClient.Response;
import ai.assay.api.ApiIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdempotentSubmissionTests extends ApiIntegrationTest {

    @BeforeEach
    void emptyTables() {
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReturnsTheFirstEvaluation() {
        Response first = api.postJson("/evaluations", smokeEvaluation("m"), "pipeline-run-42");
        Response retry = api.postJson("/evaluations", smokeEvaluation("m"), "pipeline-run-42");

        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(retry.location()).isEqualTo(first.location());
        assertThat(rowCounts()).containsEntry("evaluation", 1L).containsEntry("evaluation_task", 1L);
    }

    @Test
    void memberOrderAndWhiteSpaceDoNotMakeADifferentBody() {
        Response first = api.postJson("/evaluations", """
                {"model": {"name": "m", "uri": "/models/m"}, "tasks": [{"name": "smoke", "examples": 2}]}""", "k");
        Response retry = api.postJson("/evaluations", """
                {"tasks":[{"examples":2,"name":"smoke"}],
                    "model":{"uri":"/models/m","name":"m"}}""", "k");

        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("id")).isEqualTo(first.json().get("id"));
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        Response first = api.postJson("/evaluations", smokeEvaluation("m"), "k-1");
        Response other = api.postJson("/evaluations", smokeEvaluation("another-model"), "k-1");

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.isProblem()).isTrue();
        assertThat(other.json().get("type").stringValue()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(other.json().get("evaluationId")).isEqualTo(first.json().get("id"));
        assertThat(rowCounts()).containsEntry("evaluation", 1L);
    }

    @Test
    void differentKeysCreateDifferentEvaluations() {
        api.postJson("/evaluations", smokeEvaluation("m"), "k-1");
        api.postJson("/evaluations", smokeEvaluation("m"), "k-2");
        api.postJson("/evaluations", smokeEvaluation("m"));

        assertThat(rowCounts()).containsEntry("evaluation", 3L);
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneEvaluation() throws Exception {
        int clients = 8;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return api.postJson("/evaluations", smokeEvaluation("m"), "same-key");
                }));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : futures) {
                responses.add(future.get());
            }

            assertThat(responses)
                    .extracting(Response::status)
                    .containsOnly(200, 202)
                    .containsOnlyOnce(202);
            assertThat(responses)
                    .extracting(r -> r.json().get("id").stringValue())
                    .containsOnly(responses.get(0).json().get("id").stringValue());
            assertThat(rowCounts()).containsEntry("evaluation", 1L).containsEntry("evaluation_task", 1L);
        } finally {
            pool.shutdownNow();
        }
    }
}
