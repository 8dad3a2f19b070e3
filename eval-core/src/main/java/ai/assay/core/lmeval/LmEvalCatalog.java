package ai.assay.core.lmeval;

import ai.assay.core.lmeval.taskfiles.LmEvalTaskFiles;
import ai.assay.core.lmeval.taskfiles.TaskFileManifest;
import ai.assay.core.lmeval.taskfiles.TaskFileUnavailableException;
import ai.assay.core.task.OptionSpec;
import ai.assay.core.task.TaskCatalog;
import ai.assay.core.task.TaskDefinition;
import ai.assay.reference.lmeval.GroupConfig;
import ai.assay.reference.lmeval.LmEvalGroup;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.MetricSpec;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskFileLoader;
import ai.assay.reference.lmeval.TaskTree;
import ai.assay.reference.lmeval.code.CodeTasks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lm-eval benchmarks this service runs: the multiple-choice tasks from the task files shipped under
 * {@code lmeval/tasks/}, and the generation tasks (gsm8k, bbh, ifeval, and the code tasks humaneval,
 * humaneval_plus, mbpp, mbpp_plus, marked {@link TaskDefinition#runsCode()}) from lm-eval's own files at the pinned
 * commit ({@link LmEvalTaskFiles}), which the service may not carry: every leaf task (arc_easy, gsm8k_cot, ...) and
 * every group with an aggregate (mmlu, bbh_cot_fewshot, ...), each an Assay task.
 */
@Component
public class LmEvalCatalog implements TaskCatalog {

    private static final Logger log = LoggerFactory.getLogger(LmEvalCatalog.class);

    private final TaskTree tree;

    /** The shipped task files, read once per JVM: the runners' registration and the catalog both need them. */
    private static final class Shipped {
        static final TaskFileLoader.Loaded LOADED = unmodifiable(TaskFileLoader.load(ClasspathTaskFiles.list()));

        private static TaskFileLoader.Loaded unmodifiable(TaskFileLoader.Loaded loaded) {
            return new TaskFileLoader.Loaded(
                    java.util.Collections.unmodifiableMap(loaded.tasks()),
                    java.util.Collections.unmodifiableMap(loaded.groups()));
        }
    }

    /** The shipped tasks only (the multiple-choice ones), for code without the task-file source. */
    public LmEvalCatalog() {
        this(Shipped.LOADED);
    }

    /**
     * The shipped tasks and the generation tasks of the pinned lm-eval commit, whose files {@code taskFiles} finds
     * (tasks-dir, cache or download). A generation task whose files cannot be had, or that lm-eval's semantics here
     * cannot run (an unknown filter or task function), is not offered, with a warning naming why; the others are.
     */
    @Autowired
    public LmEvalCatalog(LmEvalTaskFiles taskFiles) {
        this(withGenerationTasks(taskFiles));
    }

    public LmEvalCatalog(TaskFileLoader.Loaded loaded) {
        this.tree = new TaskTree(loaded);
    }

    /**
     * The names of every task and group the worker may be asked for, for code that must know them before the
     * context starts: the shipped ones and those of the pinned manifest.
     */
    public static List<String> names() {
        return names(TaskFileManifest.pinned());
    }

    /** As {@link #names()}, with the names of the manifest a deployment configured ({@code assay.lmeval.manifest}). */
    public static List<String> names(TaskFileManifest manifest) {
        TaskFileLoader.Loaded loaded = Shipped.LOADED;
        List<String> names = new ArrayList<>(loaded.tasks().keySet());
        names.addAll(loaded.groups().keySet());
        for (String name : manifest.names()) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static TaskFileLoader.Loaded withGenerationTasks(LmEvalTaskFiles taskFiles) {
        TaskFileLoader.Loaded shipped = Shipped.LOADED;
        Map<String, TaskConfig> tasks = new LinkedHashMap<>(shipped.tasks());
        Map<String, GroupConfig> groups = new LinkedHashMap<>(shipped.groups());
        List<String> refused = new ArrayList<>();
        for (String name : new TreeSet<>(taskFiles.manifest().names())) {
            if (tasks.containsKey(name) || groups.containsKey(name)) {
                continue;
            }
            try {
                TaskFileLoader.Loaded one = TaskFileLoader.load(taskFiles.filesOf(name));
                for (TaskConfig config : one.tasks().values()) {
                    if (config.generative()) {
                        GenerationTasks.scorer(new LmEvalTask(config)); // refuses what cannot be scored, naming it
                    }
                }
                one.tasks().forEach(tasks::putIfAbsent);
                one.groups().forEach(groups::putIfAbsent);
            } catch (TaskFileUnavailableException e) {
                // the source itself fails (offline, unreachable): the other names would wait for it in turn
                log.warn("The lm-eval generation tasks are not offered: {}", e.getMessage());
                return new TaskFileLoader.Loaded(shipped.tasks(), shipped.groups());
            } catch (RuntimeException e) {
                refused.add(name);
                log.warn("The lm-eval task {} is not offered: {}", name, e.getMessage());
            }
        }
        if (!refused.isEmpty()) {
            log.warn(
                    "{} lm-eval generation tasks are not offered ({}); see the warnings above and"
                            + " assay.lmeval.tasks-dir / assay.lmeval.offline in docs/configuration.md",
                    refused.size(),
                    refused.size() > 6 ? refused.subList(0, 6) + "..." : refused);
        }
        return new TaskFileLoader.Loaded(tasks, groups);
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
                            + " metrics %s; version %s".formatted(metricNames(task), c.version())
                            + (CodeTasks.runsCode(c)
                                    ? "; runs the model's code (only where code execution is enabled)"
                                    : ""),
                    specs(c, !c.fixedZeroShot(), defaultShots),
                    LmEvalOptions.rules(),
                    CodeTasks.runsCode(c)));
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
                    specs(leaves.get(0).config(), offerFewshot, 0),
                    LmEvalOptions.rules(),
                    leaves.stream().anyMatch(leaf -> CodeTasks.runsCode(leaf.config()))));
        }
        return definitions;
    }

    /** A generation task also offers its decoding, with its generation_kwargs as the defaults, and outputs. */
    private static List<OptionSpec> specs(TaskConfig config, boolean offerFewshot, int defaultShots) {
        if (!config.generative()) {
            return LmEvalOptions.specs(offerFewshot, defaultShots);
        }
        TaskConfig.GenerationKwargs kwargs = config.generationKwargs();
        return LmEvalOptions.generationSpecs(
                offerFewshot,
                defaultShots,
                GenerationSettings.ofTask(
                        kwargs.maxGenToks(), kwargs.doSample(), kwargs.temperature(), kwargs.until()));
    }

    private static String metricNames(LmEvalTask task) {
        return task.config().metrics().stream().map(MetricSpec::metric).collect(Collectors.joining(", "));
    }
}
