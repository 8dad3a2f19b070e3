package ai.assay.core.task;

import java.util.List;

/**
 * A source of task definitions. Each feature that brings tasks (the smoke test, AlpacaEval, the lm-eval
 * benchmarks) contributes one catalog bean; the {@link TaskRegistry} merges them.
 */
public interface TaskCatalog {

    List<TaskDefinition> definitions();
}
