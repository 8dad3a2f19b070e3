package ai.assay.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.assay.core.testing.TestDatabase;
import ai.assay.core.testing.TestPostgres;
import ai.assay.reference.lmeval.code.ProgramExecutionUnavailableException;
import ai.assay.reference.lmeval.code.ProgramExecutor;
import ai.assay.reference.lmeval.code.ProgramResult;
import ai.assay.worker.WorkerApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole worker offers its code tasks a {@link ProgramExecutor}: one that refuses unless the deployment enabled
 * code execution, and that runs programs under the configured limits when it did.
 */
class CodeExecutionWiringTests {

    private static final String LIMITS = """
            import resource
            print(resource.getrlimit(resource.RLIMIT_AS)[0], resource.getrlimit(resource.RLIMIT_NPROC)[0])
            """;

    private TestDatabase database;

    @BeforeEach
    void database() {
        database = TestPostgres.createDatabase().migrate();
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    @Test
    void aWorkerWhoseDeploymentDidNotEnableCodeExecutionRefusesPrograms() {
        try (ConfigurableApplicationContext worker = WorkerApps.start(database, "code-off")) {
            ProgramExecutor executor = worker.getBean(ProgramExecutor.class);

            assertThatThrownBy(() -> executor.run(List.of(LIMITS), Duration.ofSeconds(60)))
                    .isInstanceOf(ProgramExecutionUnavailableException.class)
                    .hasMessageContaining("assay.code-execution.enabled=true");
        }
    }

    @Test
    void aWorkerWithCodeExecutionEnabledRunsProgramsUnderItsConfiguredLimits() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap is not installed");
        try (ConfigurableApplicationContext worker = WorkerApps.start(
                database,
                "code-on",
                "--assay.code-execution.enabled=true",
                "--assay.code-execution.memory=512MB",
                "--assay.code-execution.processes=32")) {
            ProgramExecutor executor = worker.getBean(ProgramExecutor.class);

            ProgramResult result =
                    executor.run(List.of(LIMITS), Duration.ofSeconds(60)).get(0);

            assertThat(result.passed()).isTrue();
            assertThat(result.stdout()).isEqualTo(512L * 1024 * 1024 + " 32\n");
        }
    }
}
