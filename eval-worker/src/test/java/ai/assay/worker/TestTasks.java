package ai.assay.worker;

import ai.assay.core.evaluation.MetricValue;
import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import ai.assay.worker.task.TaskContext;
import ai.assay.worker.task.TaskRunner;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tasks that exist only in tests, to exercise the worker's failure rules: one that succeeds at once, one that
 * fails like a task with a bad dataset, one that crashes the attempt (an Error), and one the worker has no runner
 * for.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTasks {

    public static final String OK = "test_ok";
    public static final String FAILING = "test_failing";
    public static final String CRASHING = "test_crashing";
    public static final String UNRUNNABLE = "test_unrunnable";

    @Bean
    TaskCatalog testTaskCatalog() {
        return () -> List.of(OK, FAILING, CRASHING, UNRUNNABLE).stream()
                .map(name -> new TaskDefinition(name, "a task for tests", List.of()))
                .toList();
    }

    @Bean
    TaskRunner okRunner() {
        return runner(OK, context -> context.store().saveMetrics(List.of(new MetricValue("acc", "none", 1, 0.0, 1))));
    }

    @Bean
    TaskRunner failingRunner() {
        return runner(FAILING, context -> {
            throw new IllegalStateException("dataset test/missing is not available");
        });
    }

    @Bean
    TaskRunner crashingRunner() {
        return runner(CRASHING, context -> {
            throw new CrashError("the runner crashed the attempt");
        });
    }

    /** Stands for an Error such as one thrown by a native library; unlike OutOfMemoryError it is safe to throw. */
    public static class CrashError extends Error {

        CrashError(String message) {
            super(message);
        }
    }

    interface Body {
        void run(TaskContext context) throws Exception;
    }

    private static TaskRunner runner(String name, Body body) {
        return new TaskRunner() {
            @Override
            public String taskName() {
                return name;
            }

            @Override
            public boolean needsModel(ObjectNode options) {
                return false;
            }

            @Override
            public void run(TaskContext context) throws Exception {
                body.run(context);
            }
        };
    }
}
