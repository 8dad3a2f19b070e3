package ai.assay.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import ai.assay.core.json.JsonColumns;
import ai.assay.core.task.ResolvedTask;
import ai.assay.core.testing.FreshDatabaseExtension;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EvaluationRepositoryTests {

    @RegisterExtension
    static final FreshDatabaseExtension db = new FreshDatabaseExtension();

    private final JsonMapper mapper = JsonMapper.builder().build();
    private JdbcClient jdbc;
    private EvaluationRepository repository;

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(db.dataSource());
        jdbc.sql("TRUNCATE evaluation CASCADE").update();
        repository = new EvaluationRepository(jdbc, new JsonColumns(mapper));
    }

    private NewEvaluation evaluation(String model, Map<String, String> labels) {
        ObjectNode options = mapper.createObjectNode().put("examples", 3);
        return new NewEvaluation(
                new ModelRef(model, "file:///models/" + model, "abc123", null),
                List.of(new ResolvedTask("smoke", options), new ResolvedTask("other", mapper.createObjectNode())),
                labels,
                5,
                URI.create("https://ci.example.org/hook"),
                3,
                mapper.readTree("{\"model\":{\"name\":\"" + model + "\"}}"));
    }

    @Test
    void storesAnEvaluationWithItsTasksInOrder() {
        UUID id = repository
                .insert(evaluation("m1", Map.of("run", "dpo")), null, null)
                .orElseThrow();

        Evaluation stored = repository.findById(id).orElseThrow();
        assertThat(stored.state()).isEqualTo(RunState.QUEUED);
        assertThat(stored.model()).isEqualTo(new ModelRef("m1", "file:///models/m1", "abc123", null));
        assertThat(stored.labels()).containsExactly(Map.entry("run", "dpo"));
        assertThat(stored.priority()).isEqualTo(5);
        assertThat(stored.callbackUrl()).isEqualTo(URI.create("https://ci.example.org/hook"));
        assertThat(stored.createdAt()).isNotNull();
        assertThat(stored.finishedAt()).isNull();
        assertThat(stored.tasks()).extracting(EvaluationTask::name).containsExactly("smoke", "other");
        assertThat(stored.tasks().get(0).options().get("examples").intValue()).isEqualTo(3);
        assertThat(stored.tasks().get(0).state()).isEqualTo(RunState.QUEUED);
        assertThat(stored.tasks().get(0).progress().done()).isZero();
    }

    @Test
    void aSecondInsertWithTheSameKeyStoresNothing() {
        UUID first =
                repository.insert(evaluation("m1", Map.of()), "key-1", "hash-1").orElseThrow();

        assertThat(repository.insert(evaluation("m2", Map.of()), "key-1", "hash-2"))
                .isEmpty();
        assertThat(repository.findByIdempotencyKey("key-1")).contains(new StoredSubmission(first, "hash-1"));
        assertThat(jdbc.sql("SELECT count(*) FROM evaluation").query(Long.class).single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM evaluation_task")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void searchesByStateModelAndLabelsNewestFirst() {
        UUID a = repository
                .insert(evaluation("m1", Map.of("run", "dpo", "step", "1")), null, null)
                .orElseThrow();
        UUID b = repository
                .insert(evaluation("m1", Map.of("run", "dpo", "step", "2")), null, null)
                .orElseThrow();
        UUID c = repository
                .insert(evaluation("m2", Map.of("run", "kto")), null, null)
                .orElseThrow();
        repository.cancel(c);

        assertThat(ids(repository.search(new EvaluationFilter(null, null, Map.of()), 0, 10)))
                .containsExactly(c, b, a);
        assertThat(ids(repository.search(new EvaluationFilter(null, "m1", Map.of()), 0, 10)))
                .containsExactly(b, a);
        assertThat(ids(repository.search(new EvaluationFilter(RunState.CANCELLED, null, Map.of()), 0, 10)))
                .containsExactly(c);
        assertThat(ids(repository.search(new EvaluationFilter(null, null, Map.of("run", "dpo", "step", "1")), 0, 10)))
                .containsExactly(a);

        Page<Evaluation> second = repository.search(new EvaluationFilter(null, null, Map.of()), 1, 2);
        assertThat(ids(second)).containsExactly(a);
        assertThat(second.totalItems()).isEqualTo(3);
        assertThat(second.totalPages()).isEqualTo(2);
    }

    @Test
    void cancellingAQueuedEvaluationEndsItAndItsTasks() {
        UUID id = repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow();

        assertThat(repository.cancel(id)).contains(CancelOutcome.CANCELLED);

        Evaluation cancelled = repository.findById(id).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        assertThat(cancelled.tasks()).extracting(EvaluationTask::state).containsOnly(RunState.CANCELLED);
        assertThat(repository.cancel(id)).contains(CancelOutcome.ALREADY_FINISHED);
        assertThat(repository.cancel(UUID.randomUUID())).isEmpty();
    }

    @Test
    void cancellingARunningEvaluationOnlyAsksForIt() {
        UUID id = repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow();
        jdbc.sql("""
                UPDATE evaluation SET state = 'running', lease_owner = 'w1', lease_expires_at = now() + interval '1 minute',
                                      attempt = 1, started_at = now()
                 WHERE id = :id""").param("id", id).update();

        assertThat(repository.cancel(id)).contains(CancelOutcome.CANCEL_REQUESTED);
        assertThat(repository.cancel(id)).contains(CancelOutcome.ALREADY_FINISHED);

        Evaluation running = repository.findById(id).orElseThrow();
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.cancelRequested()).isTrue();
        assertThat(running.leaseOwner()).isEqualTo("w1");
    }

    @Test
    void readsMetricsAndDerivesProgress() {
        UUID id = repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow();
        long taskId = repository.findById(id).orElseThrow().tasks().get(0).id();
        jdbc.sql("""
                UPDATE evaluation_task SET state = 'running', phase = 'generating', done = 30, total = 100,
                       phase_done_start = 10, phase_started_at = now() - interval '10 seconds', started_at = now()
                 WHERE id = :id""").param("id", taskId).update();
        jdbc.sql(
                        "INSERT INTO metric_value (task_id, metric, filter, value, stderr, n) VALUES (:id, 'acc', 'none', 0.5, 0.01, 100)")
                .param("id", taskId)
                .update();

        EvaluationTask task = repository.findById(id).orElseThrow().tasks().get(0);
        assertThat(task.progress().phase()).isEqualTo(TaskPhase.GENERATING);
        assertThat(task.progress().rate()).isBetween(1.9, 2.01);
        assertThat(task.progress().eta()).isNotNull();
        assertThat(task.metrics()).containsExactly(new MetricValue("acc", "none", 0.5, 0.01, 100));
    }

    @Test
    void countsEveryState() {
        repository.insert(evaluation("m1", Map.of()), null, null);
        UUID cancelled =
                repository.insert(evaluation("m2", Map.of()), null, null).orElseThrow();
        repository.cancel(cancelled);

        assertThat(repository.countByState())
                .containsEntry(RunState.QUEUED, 1L)
                .containsEntry(RunState.CANCELLED, 1L)
                .containsEntry(RunState.RUNNING, 0L)
                .hasSize(5);
    }

    @Test
    void aRecordedModelBuildIsReadBackWithTheEvaluation() {
        UUID id = running(
                repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow(), "w1", 1);
        assertThat(repository.findById(id).orElseThrow().modelBuild())
                .as("an evaluation nothing was built for has no build")
                .isNull();

        assertThat(repository.recordModelBuild(id, "w1", 1, build("cache-1", false)))
                .isTrue();

        assertThat(repository.findById(id).orElseThrow().modelBuild()).isEqualTo(build("cache-1", false));
        assertThat(jdbc.sql("SELECT model_build ->> 'builderVersion' FROM evaluation WHERE id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .as("stored with camelCase fields")
                .isEqualTo("assay-builder-1");
    }

    @Test
    void aStaleWorkerRecordsNoModelBuild() {
        UUID id = running(
                repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow(), "w2", 2);
        UUID queued = repository.insert(evaluation("m2", Map.of()), null, null).orElseThrow();

        assertThat(repository.recordModelBuild(id, "w1", 2, build("stale-owner", false)))
                .isFalse();
        assertThat(repository.recordModelBuild(id, "w2", 1, build("stale-attempt", false)))
                .isFalse();
        assertThat(repository.recordModelBuild(queued, "w2", 0, build("not-running", false)))
                .isFalse();

        assertThat(repository.findById(id).orElseThrow().modelBuild()).isNull();
        assertThat(repository.findById(queued).orElseThrow().modelBuild()).isNull();
    }

    @Test
    void aResumedJobsModelBuildReplacesTheEarlierOne() {
        UUID id = running(
                repository.insert(evaluation("m1", Map.of()), null, null).orElseThrow(), "w1", 1);
        repository.recordModelBuild(id, "w1", 1, build("cache-1", false));
        running(id, "w2", 2);

        assertThat(repository.recordModelBuild(id, "w2", 2, build("cache-1", true)))
                .isTrue();

        assertThat(repository.findById(id).orElseThrow().modelBuild()).isEqualTo(build("cache-1", true));
    }

    private UUID running(UUID id, String owner, int attempt) {
        jdbc.sql("""
                UPDATE evaluation SET state = 'running', lease_owner = :owner, attempt = :attempt,
                                      lease_expires_at = now() + interval '1 minute', started_at = now()
                 WHERE id = :id""")
                .param("id", id)
                .param("owner", owner)
                .param("attempt", attempt)
                .update();
        return id;
    }

    private static ModelBuildRecord build(String cacheKey, boolean reused) {
        return new ModelBuildRecord(
                "assay-builder-1",
                cacheKey,
                reused,
                "fp16",
                List.of("MatMul", "com.microsoft.GroupQueryAttention"),
                List.of(
                        new ModelBuildRecord.CheckpointFile("config.json", 612, "a".repeat(64)),
                        new ModelBuildRecord.CheckpointFile("model.safetensors", 1 << 20, "b".repeat(64))));
    }

    private static List<UUID> ids(Page<Evaluation> page) {
        return page.items().stream().map(Evaluation::id).toList();
    }
}
