package ai.assay.worker;

import ai.assay.core.evaluation.EvaluationRepository;
import ai.assay.core.task.TaskRegistry;
import ai.assay.core.testing.FreshDatabase;
import ai.assay.core.testing.TestHosts;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A running worker over its own fresh, migrated database, with timings short enough for tests: a 3 s lease,
 * heartbeats every 200 ms, polling every 50 ms; host names resolve through {@link TestHosts}, never DNS.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "assay.worker.id=test-worker",
            "assay.datasets.offline=true",
            "assay.lmeval.offline=true",
            "assay.models.roots=/models",
            "assay.worker.lease-duration=3s",
            "assay.worker.heartbeat-interval=200ms",
            "assay.worker.poll-interval=50ms",
            "assay.worker.reaper-interval=300ms",
            "assay.worker.progress-interval=100ms",
            "assay.worker.shutdown-grace=2s",
            "assay.worker.callback.poll-interval=100ms",
            "assay.worker.callback.initial-backoff=100ms",
            "assay.worker.callback.timeout=2s"
        })
@FreshDatabase(migrate = true)
@Import({TestTasks.class, TestHosts.class})
public abstract class WorkerIntegrationTest {

    @LocalServerPort
    protected int managementPort;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    private EvaluationRepository evaluations;

    @Autowired
    private TaskRegistry registry;

    protected Jobs jobs;

    @BeforeEach
    void jobs() {
        jobs = new Jobs(evaluations, registry);
    }
}
