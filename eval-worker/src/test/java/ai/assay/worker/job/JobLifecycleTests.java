package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.EvaluationTask;
import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.evaluation.TaskPhase;
import ai.assay.worker.TestTasks;
import ai.assay.worker.WorkerIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class JobLifecycleTests extends WorkerIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    private EvaluationRepository evaluations;

    @Test
    void runsASmokeJobToTheEndWithProgressCheckpointsAndMetrics() {
        UUID id = jobs.submit("{\"name\":\"smoke\",\"examples\":20,\"millisPerExample\":10}");

        Evaluation done = jobs.awaitEnd(id, TIMEOUT);

        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.error()).isNull();
        assertThat(done.leaseOwner()).isNull();
        EvaluationTask task = done.tasks().get(0);
        assertThat(task.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(task.progress().done()).isEqualTo(20);
        assertThat(task.progress().total()).isEqualTo(20);
        assertThat(task.metrics()).hasSize(1);
        MetricValue acc = task.metrics().get(0);
        assertThat(acc.metric()).isEqualTo("acc");
        assertThat(acc.n()).isEqualTo(20);
        assertThat(acc.value()).isEqualTo(expectedSmokeAccuracy(20));
        assertThat(acc.stderr()).isPositive();
        assertThat(task.result().get("examples").intValue()).isEqualTo(20);
        assertThat(jdbc.sql("SELECT count(*) FROM sample_score WHERE task_id = :id")
                        .param("id", task.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(20);
    }

    @Test
    void showsProgressWhileItRuns() {
        UUID id = jobs.submit("{\"name\":\"smoke\",\"examples\":60,\"millisPerExample\":25}");

        Evaluation running = jobs.await(
                id,
                TIMEOUT,
                e -> e.state() == RunState.RUNNING
                        && e.tasks().get(0).progress().done() >= 10);

        assertThat(running.leaseOwner()).isEqualTo("test-worker");
        assertThat(running.leaseExpiresAt()).isNotNull();
        var progress = running.tasks().get(0).progress();
        assertThat(progress.phase()).isEqualTo(TaskPhase.SCORING);
        assertThat(progress.total()).isEqualTo(60);
        assertThat(progress.rate()).isPositive();
        assertThat(progress.eta()).isAfter(running.startedAt());
        jobs.awaitEnd(id, TIMEOUT);
    }

    @Test
    void aFailingTaskFailsAloneAndTheEvaluationReportsIt() {
        UUID id = jobs.submit(
                "{\"name\":\"smoke\",\"examples\":10,\"millisPerExample\":1,\"failAt\":4}",
                "{\"name\":\"" + TestTasks.OK + "\"}",
                "{\"name\":\"" + TestTasks.FAILING + "\"}");

        Evaluation done = jobs.awaitEnd(id, TIMEOUT);

        assertThat(done.state()).isEqualTo(RunState.FAILED);
        assertThat(done.attempt()).as("a task failure is not retried").isEqualTo(1);
        assertThat(done.tasks())
                .extracting(EvaluationTask::state)
                .containsExactly(RunState.FAILED, RunState.SUCCEEDED, RunState.FAILED);
        assertThat(done.tasks().get(0).error()).contains("smoke example 4 failed");
        assertThat(done.tasks().get(0).progress().done())
                .as("examples before the failure are kept")
                .isEqualTo(4);
        assertThat(done.tasks().get(1).metrics()).hasSize(1);
        assertThat(done.tasks().get(2).error()).contains("dataset test/missing is not available");
        assertThat(done.error())
                .startsWith("2 of 3 tasks failed")
                .contains("smoke:")
                .contains(TestTasks.FAILING);
    }

    @Test
    void aTaskWithoutARunnerFailsWithAClearError() {
        UUID id = jobs.submit("{\"name\":\"" + TestTasks.UNRUNNABLE + "\"}");

        Evaluation done = jobs.awaitEnd(id, TIMEOUT);

        assertThat(done.state()).isEqualTo(RunState.FAILED);
        assertThat(done.tasks().get(0).error()).contains("no runner for the task 'test_unrunnable'");
    }

    @Test
    void aJobThatAlwaysCrashesFailsAfterMaxAttemptsWithoutBlockingTheQueue() {
        UUID crashing = jobs.submit(10, null, "{\"name\":\"" + TestTasks.CRASHING + "\"}");
        UUID other = jobs.submit("{\"name\":\"smoke\",\"examples\":3,\"millisPerExample\":1}");

        Evaluation crashed = jobs.awaitEnd(crashing, TIMEOUT);
        Evaluation fine = jobs.awaitEnd(other, TIMEOUT);

        assertThat(crashed.state()).isEqualTo(RunState.FAILED);
        assertThat(crashed.attempt()).isEqualTo(3);
        assertThat(crashed.error()).contains("failed in 3 attempts").contains("the runner crashed the attempt");
        assertThat(crashed.tasks().get(0).state()).isEqualTo(RunState.FAILED);
        String history = jdbc.sql("SELECT attempt_errors::text FROM evaluation WHERE id = :id")
                .param("id", crashing)
                .query(String.class)
                .single();
        assertThat(history)
                .contains("\"attempt\": 1")
                .contains("\"attempt\": 2")
                .contains("\"attempt\": 3");
        assertThat(fine.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void cancellingARunningTaskStopsItWithinSeconds() {
        UUID id = jobs.submit("{\"name\":\"smoke\",\"examples\":100000,\"millisPerExample\":20}");
        jobs.await(
                id,
                TIMEOUT,
                e -> e.state() == RunState.RUNNING
                        && e.tasks().get(0).progress().done() > 0);

        long asked = System.nanoTime();
        evaluations.cancel(id);
        Evaluation cancelled = jobs.awaitEnd(id, Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - asked);

        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(cancelled.tasks().get(0).state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.tasks().get(0).progress().done()).isPositive();
    }

    @Test
    void higherPriorityRunsFirst() {
        // Occupy the worker's only slot so both jobs are queued when the next claim happens.
        UUID blocker = jobs.submit("{\"name\":\"smoke\",\"examples\":10,\"millisPerExample\":50}");
        jobs.awaitState(blocker, RunState.RUNNING, TIMEOUT);
        UUID low = jobs.submit(0, null, "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");
        UUID high = jobs.submit(5, null, "{\"name\":\"smoke\",\"examples\":1,\"millisPerExample\":1}");

        Evaluation lowDone = jobs.awaitEnd(low, TIMEOUT);
        Evaluation highDone = jobs.awaitEnd(high, TIMEOUT);

        assertThat(highDone.startedAt()).isBefore(lowDone.startedAt());
    }

    @Test
    void exposesWorkerMetricsToPrometheus() throws Exception {
        jobs.awaitEnd(jobs.submit("{\"name\":\"smoke\",\"examples\":2,\"millisPerExample\":1}"), TIMEOUT);

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.body())
                .contains(
                        "assay_worker_claims_total",
                        "assay_worker_examples_total",
                        "assay_worker_evaluations_total{outcome=\"succeeded\"}",
                        "assay_worker_lease_losses_total",
                        "assay_worker_tokens_total{kind=\"generated\"}");
    }

    static double expectedSmokeAccuracy(int examples) {
        int ones = 0;
        for (int i = 0; i < examples; i++) {
            ones += Math.floorMod(i * 7919, 10) < 7 ? 1 : 0;
        }
        return (double) ones / examples;
    }
}
