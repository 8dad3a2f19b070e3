package ai.assay.reference.lmeval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * lm-eval's task tree as its {@code TaskManager} sees it: the leaf tasks of the task files and the groups over
 * them, where a group member names a group, a task or a tag (all tasks with that tag, by name).
 */
public final class TaskTree {

    private final Map<String, LmEvalTask> tasks = new LinkedHashMap<>();
    private final Map<String, LmEvalGroup> groups = new LinkedHashMap<>();

    public TaskTree(TaskFileLoader.Loaded loaded) {
        loaded.tasks().forEach((name, config) -> tasks.put(name, new LmEvalTask(config)));
        for (String group : loaded.groups().keySet()) {
            groups.put(group, resolve(group, loaded.groups(), new HashSet<>()));
        }
    }

    /** The tree of the task files found by {@link TaskFile#under}, or any other list of them. */
    public static TaskTree of(List<? extends TaskFile> files) {
        return new TaskTree(TaskFileLoader.load(files));
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
                        .sorted(Comparator.comparing(LmEvalTask::name))
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
        return Collections.unmodifiableMap(tasks);
    }

    public Map<String, LmEvalGroup> groups() {
        return Collections.unmodifiableMap(groups);
    }
}
