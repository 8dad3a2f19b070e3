package ai.assay.worker;

import ai.assay.core.evaluation.Evaluation;
import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.evaluation.NewEvaluation;
import ai.assay.core.evaluation.RunState;
import ai.assay.core.json.JsonColumns;
import ai.assay.core.smoke.SmokeTaskCatalog;
import ai.assay.core.task.ResolvedTask;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.validation.Violation;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Submits evaluations straight into the database, the way the API stores them, and waits for their end. */
public final class Jobs {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final EvaluationRepository evaluations;
    private final TaskRegistry registry;

    public Jobs(EvaluationRepository evaluations, TaskRegistry registry) {
        this.evaluations = evaluations;
        this.registry = registry;
    }

    /** For tests without a Spring context: smoke jobs straight into the given database. */
    public static Jobs smokeJobsIn(DataSource dataSource) {
        return new Jobs(
                new EvaluationRepository(JdbcClient.create(dataSource), new JsonColumns(MAPPER)),
                new TaskRegistry(List.of(new SmokeTaskCatalog())));
    }

    /** Submits an evaluation with the given tasks, each written as the API's JSON, e.g. {"name":"smoke"}. */
    public UUID submit(String... tasks) {
        return submit(0, null, tasks);
    }

    /** Submits an evaluation of {@code model} with the given tasks. */
    public UUID submit(ModelRef model, String... tasks) {
        return submit(model, 0, null, tasks);
    }

    public UUID submit(int priority, URI callbackUrl, String... tasks) {
        return submit(new ModelRef("test-model", "file:///models/none", null, null), priority, callbackUrl, tasks);
    }

    private UUID submit(ModelRef model, int priority, URI callbackUrl, String... tasks) {
        List<ResolvedTask> resolved = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (String task : tasks) {
            registry.resolve(MAPPER.readTree(task), "/tasks/0", violations).ifPresent(resolved::add);
        }
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(violations.toString());
        }
        JsonNode spec = MAPPER.readTree("{\"tasks\":[" + String.join(",", tasks) + "]}");
        return evaluations
                .insert(new NewEvaluation(model, resolved, Map.of(), priority, callbackUrl, 3, spec), null, null)
                .orElseThrow();
    }

    public Evaluation get(UUID id) {
        return evaluations.findById(id).orElseThrow();
    }

    /** Waits until the evaluation matches, failing after the timeout with its last state. */
    public Evaluation await(UUID id, Duration timeout, Predicate<Evaluation> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Evaluation evaluation = get(id);
        while (!condition.test(evaluation)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for evaluation " + id + "; it is " + evaluation);
            }
            sleep(50);
            evaluation = get(id);
        }
        return evaluation;
    }

    public Evaluation awaitEnd(UUID id, Duration timeout) {
        return await(id, timeout, e -> e.state().isTerminal());
    }

    public Evaluation awaitState(UUID id, RunState state, Duration timeout) {
        return await(id, timeout, e -> e.state() == state);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
