package ai.assay.core.lmeval;

import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import ai.assay.reference.lmeval.GroupConfig;
import ai.assay.reference.lmeval.LmEvalGroup;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.MetricSpec;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskFileLoader;
import ai.assay.reference.lmeval.TaskTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lm-eval benchmarks this service runs, read from the task files under {@code lmeval/tasks/}: every leaf task
 * (arc_easy, mmlu_astronomy, ...) and every group with an aggregate (mmlu, mmlu_stem, ...), each an Assay task.
 */
@Component
public class LmEvalCatalog implements TaskCatalog {

    private final TaskTree tree;

    @Autowired
    public LmEvalCatalog() {
        this(TaskFileLoader.load(ClasspathTaskFiles.list()));
    }

    public LmEvalCatalog(TaskFileLoader.Loaded loaded) {
        this.tree = new TaskTree(loaded);
    }

    /** The names of every task and group, for code that must know them before the context starts. */
    public static List<String> names() {
        TaskFileLoader.Loaded loaded = TaskFileLoader.load(ClasspathTaskFiles.list());
        List<String> names = new ArrayList<>(loaded.tasks().keySet());
        names.addAll(loaded.groups().keySet());
        return names;
    }

    public Optional<LmEvalTask> task(String name) {
        return tree.task(name);
    }

    public Optional<LmEvalGroup> group(String name) {
        return tree.group(name);
    }

    public boolean contains(String name) {
        return tree.contains(name);
    }

    /** The leaf tasks a task or group name stands for (a task stands for itself). */
    public List<LmEvalTask> leaves(String name) {
        return tree.leaves(name);
    }

    public Map<String, LmEvalTask> tasks() {
        return tree.tasks();
    }

    public Map<String, LmEvalGroup> groups() {
        return tree.groups();
    }

    @Override
    public List<TaskDefinition> definitions() {
        List<TaskDefinition> definitions = new ArrayList<>();
        for (LmEvalTask task : tree.tasks().values()) {
            TaskConfig c = task.config();
            int defaultShots = c.numFewshot() == null ? 0 : c.numFewshot();
            definitions.add(new TaskDefinition(
                    c.task(),
                    "lm-evaluation-harness task %s: %s (%s), split %s%s;"
                                    .formatted(
                                            c.task(),
                                            c.datasetPath(),
                                            c.datasetName() == null ? "default" : c.datasetName(),
                                            c.evalSplit(),
                                            c.fixedZeroShot() ? ", always 0-shot" : "")
                            + " metrics %s; version %s".formatted(metricNames(task), c.version()),
                    LmEvalOptions.specs(!c.fixedZeroShot(), defaultShots)));
        }
        for (LmEvalGroup group : tree.groups().values()) {
            List<LmEvalTask> leaves = group.leaves();
            boolean offerFewshot = leaves.stream().noneMatch(t -> t.config().fixedZeroShot());
            String metrics = group.config().aggregateMetrics().stream()
                    .map(GroupConfig.GroupMetric::metric)
                    .collect(Collectors.joining(", "));
            definitions.add(new TaskDefinition(
                    group.name(),
                    ("lm-evaluation-harness group %s: %d tasks (%s ...),"
                                    + " %s averaged over them weighted by size with a pooled stderr; version %s")
                            .formatted(
                                    group.name(),
                                    leaves.size(),
                                    leaves.get(0).name(),
                                    metrics,
                                    group.config().version()),
                    LmEvalOptions.specs(offerFewshot, 0)));
        }
        return definitions;
    }

    private static String metricNames(LmEvalTask task) {
        return task.config().metrics().stream().map(MetricSpec::metric).collect(Collectors.joining(", "));
    }
}
