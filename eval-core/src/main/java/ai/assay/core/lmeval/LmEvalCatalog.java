package ai.assay.core.lmeval;

import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lm-eval benchmarks this service runs, read from the task files under {@code lmeval/tasks/}: every leaf task
 * (arc_easy, mmlu_astronomy, ...) and every group with an aggregate (mmlu, mmlu_stem, ...), each an Assay task.
 */
@Component
public class LmEvalCatalog implements TaskCatalog {

    private final Map<String, LmEvalTask> tasks = new LinkedHashMap<>();
    private final Map<String, LmEvalGroup> groups = new LinkedHashMap<>();

    @Autowired
    public LmEvalCatalog() {
        this(TaskFileLoader.load());
    }

    public LmEvalCatalog(TaskFileLoader.Loaded loaded) {
        loaded.tasks().forEach((name, config) -> tasks.put(name, new LmEvalTask(config)));
        for (String group : loaded.groups().keySet()) {
            groups.put(group, resolve(group, loaded.groups(), new HashSet<>()));
        }
    }

    /** The names of every task and group, for code that must know them before the context starts. */
    public static List<String> names() {
        TaskFileLoader.Loaded loaded = TaskFileLoader.load();
        List<String> names = new ArrayList<>(loaded.tasks().keySet());
        names.addAll(loaded.groups().keySet());
        return names;
    }

    private LmEvalGroup resolve(String name, Map<String, GroupConfig> configs, Set<String> visiting) {
        if (!visiting.add(name)) {
            throw new IllegalStateException("group '%s' contains itself".formatted(name));
        }
        GroupConfig config = configs.get(name);
        List<Object> children = new ArrayList<>();
        for (String member : config.members()) {
            if (configs.containsKey(member)) {
                children.add(resolve(member, configs, visiting));
            } else if (tasks.containsKey(member)) {
                children.add(tasks.get(member));
            } else {
                List<LmEvalTask> tagged = tasks.values().stream()
                        .filter(task -> task.config().tags().contains(member))
                        .sorted(java.util.Comparator.comparing(LmEvalTask::name))
                        .toList();
                if (tagged.isEmpty()) {
                    throw new IllegalStateException(
                            "group '%s' names '%s', which is no task, tag or group".formatted(name, member));
                }
                children.addAll(tagged);
            }
        }
        visiting.remove(name);
        return new LmEvalGroup(config, children);
    }

    public Optional<LmEvalTask> task(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    public Optional<LmEvalGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    public boolean contains(String name) {
        return tasks.containsKey(name) || groups.containsKey(name);
    }

    /** The leaf tasks a task or group name stands for (a task stands for itself). */
    public List<LmEvalTask> leaves(String name) {
        if (tasks.containsKey(name)) {
            return List.of(tasks.get(name));
        }
        LmEvalGroup group = groups.get(name);
        if (group == null) {
            throw new IllegalArgumentException("no lm-eval task or group '%s'".formatted(name));
        }
        return group.leaves();
    }

    public Map<String, LmEvalTask> tasks() {
        return java.util.Collections.unmodifiableMap(tasks);
    }

    public Map<String, LmEvalGroup> groups() {
        return java.util.Collections.unmodifiableMap(groups);
    }

    @Override
    public List<TaskDefinition> definitions() {
        List<TaskDefinition> definitions = new ArrayList<>();
        for (LmEvalTask task : tasks.values()) {
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
        for (LmEvalGroup group : groups.values()) {
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
