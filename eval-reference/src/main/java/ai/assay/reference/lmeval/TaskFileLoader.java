package ai.assay.reference.lmeval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads lm-eval task files (YAML, {@code include} and {@code !function} as lm-eval has them), in the order of
 * their paths under the task tree, from wherever a {@link TaskFile} finds them (the service reads the tree shipped
 * under {@code lmeval/tasks/} on its classpath). A file with {@code task:} is a task, one with {@code group:}
 * a group; others (such as {@code _default_template.yaml}) are only included. Unknown keys are refused, so a task
 * file never silently uses a feature Assay does not implement.
 */
public final class TaskFileLoader {

    private static final Set<String> TASK_KEYS = Set.of(
            "task",
            "task_alias",
            "tag",
            "dataset_path",
            "dataset_name",
            "output_type",
            "training_split",
            "validation_split",
            "test_split",
            "fewshot_split",
            "process_docs",
            "doc_to_text",
            "doc_to_target",
            "doc_to_choice",
            "process_results",
            "target_delimiter",
            "fewshot_delimiter",
            "description",
            "num_fewshot",
            "fewshot_config",
            "gen_prefix",
            "metric_list",
            "metadata",
            "include");
    /** Keys lm-eval has that change nothing about the numbers. */
    private static final Set<String> IGNORED_KEYS =
            Set.of("should_decontaminate", "doc_to_decontamination_query", "dataset_kwargs");

    private static final Set<String> GROUP_KEYS =
            Set.of("group", "group_alias", "task", "aggregate_metric_list", "metadata");

    /** What was read: tasks and groups by name, in file order. */
    public record Loaded(Map<String, TaskConfig> tasks, Map<String, GroupConfig> groups) {}

    private TaskFileLoader() {}

    public static Loaded load(List<? extends TaskFile> files) {
        List<TaskFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(TaskFile::path));
        Map<String, TaskConfig> tasks = new LinkedHashMap<>();
        Map<String, GroupConfig> groups = new LinkedHashMap<>();
        for (TaskFile resource : sorted) {
            Map<String, Object> yaml = merged(resource, 0);
            try {
                if (yaml.get("group") instanceof String) {
                    GroupConfig group = group(yaml);
                    if (groups.put(group.group(), group) != null) {
                        throw new IllegalStateException("group '%s' is defined twice".formatted(group.group()));
                    }
                } else if (yaml.get("task") instanceof String) {
                    TaskConfig task = task(yaml, resource.directory());
                    if (tasks.put(task.task(), task) != null) {
                        throw new IllegalStateException("task '%s' is defined twice".formatted(task.task()));
                    }
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException(
                        "lm-eval task file %s: %s".formatted(describe(resource), e.getMessage()), e);
            }
        }
        return new Loaded(tasks, groups);
    }

    private static Map<String, Object> merged(TaskFile resource, int depth) {
        if (depth > 10) {
            throw new IllegalStateException("includes nested too deep at " + describe(resource));
        }
        Map<String, Object> yaml = parse(resource);
        Object include = yaml.remove("include");
        if (include == null) {
            return yaml;
        }
        try {
            Map<String, Object> base = merged(resource.relative(String.valueOf(include)), depth + 1);
            base.putAll(yaml);
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot include %s from %s".formatted(include, describe(resource)), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(TaskFile resource) {
        try (InputStream in = resource.open()) {
            Object document = new Yaml(new TaskConstructor()).load(in);
            if (!(document instanceof Map)) {
                throw new IllegalStateException(describe(resource) + " is not a YAML mapping");
            }
            return new LinkedHashMap<>((Map<String, Object>) document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(resource), e);
        }
    }

    private static TaskConfig task(Map<String, Object> yaml, String directory) {
        for (String key : yaml.keySet()) {
            if (!TASK_KEYS.contains(key) && !IGNORED_KEYS.contains(key)) {
                throw new IllegalStateException("unsupported key '%s'".formatted(key));
            }
        }
        String outputType = string(yaml, "output_type");
        if (!"multiple_choice".equals(outputType)) {
            throw new IllegalStateException(
                    "output_type '%s' is not supported (only multiple_choice)".formatted(outputType));
        }
        String sampler = "default";
        if (yaml.get("fewshot_config") instanceof Map<?, ?> fewshot) {
            for (Object key : fewshot.keySet()) {
                if (!"sampler".equals(key)) {
                    throw new IllegalStateException("unsupported fewshot_config key '%s'".formatted(key));
                }
            }
            sampler = String.valueOf(fewshot.get("sampler"));
            if (!sampler.equals("default") && !sampler.equals("first_n")) {
                throw new IllegalStateException("unknown sampler '%s'".formatted(sampler));
            }
        }
        List<MetricSpec> metrics = new ArrayList<>();
        for (Object entry : list(yaml.get("metric_list"))) {
            Map<?, ?> metric = (Map<?, ?>) entry;
            String name = String.valueOf(metric.get("metric"));
            Object aggregation = metric.containsKey("aggregation") ? metric.get("aggregation") : "mean";
            if (!"mean".equals(aggregation)) {
                throw new IllegalStateException("aggregation '%s' is not supported (only mean)".formatted(aggregation));
            }
            Object higher = metric.containsKey("higher_is_better") ? metric.get("higher_is_better") : Boolean.TRUE;
            metrics.add(new MetricSpec(name, "mean", Boolean.TRUE.equals(higher)));
        }
        if (metrics.isEmpty()) {
            throw new IllegalStateException("no metric_list");
        }
        Object numFewshot = yaml.get("num_fewshot");
        return new TaskConfig(
                string(yaml, "task"),
                string(yaml, "task_alias"),
                list(yaml.get("tag")).stream().map(String::valueOf).toList(),
                directory,
                required(yaml, "dataset_path"),
                string(yaml, "dataset_name"),
                outputType,
                string(yaml, "training_split"),
                string(yaml, "validation_split"),
                string(yaml, "test_split"),
                string(yaml, "fewshot_split"),
                function(yaml.get("process_docs")),
                docField(yaml, "doc_to_text"),
                docField(yaml, "doc_to_target"),
                docField(yaml, "doc_to_choice"),
                function(yaml.get("process_results")),
                yaml.containsKey("target_delimiter") ? String.valueOf(yaml.get("target_delimiter")) : " ",
                yaml.containsKey("fewshot_delimiter") ? String.valueOf(yaml.get("fewshot_delimiter")) : "\n\n",
                yaml.containsKey("description") && yaml.get("description") != null
                        ? String.valueOf(yaml.get("description"))
                        : "",
                numFewshot == null ? null : ((Number) numFewshot).intValue(),
                sampler,
                string(yaml, "gen_prefix"),
                metrics,
                yaml.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("version") : null,
                yaml);
    }

    private static GroupConfig group(Map<String, Object> yaml) {
        for (String key : yaml.keySet()) {
            if (!GROUP_KEYS.contains(key)) {
                throw new IllegalStateException("unsupported group key '%s'".formatted(key));
            }
        }
        List<GroupConfig.GroupMetric> metrics = new ArrayList<>();
        for (Object entry : list(yaml.get("aggregate_metric_list"))) {
            Map<?, ?> metric = (Map<?, ?>) entry;
            Object aggregation = metric.containsKey("aggregation") ? metric.get("aggregation") : "mean";
            if (!"mean".equals(aggregation)) {
                throw new IllegalStateException("group aggregation '%s' is not supported".formatted(aggregation));
            }
            List<String> filters = metric.containsKey("filter_list")
                    ? list(metric.get("filter_list")).stream()
                            .map(String::valueOf)
                            .toList()
                    : List.of("none");
            metrics.add(new GroupConfig.GroupMetric(
                    String.valueOf(metric.get("metric")),
                    !Boolean.FALSE.equals(metric.get("weight_by_size")),
                    filters));
        }
        return new GroupConfig(
                required(yaml, "group"),
                string(yaml, "group_alias"),
                list(yaml.get("task")).stream().map(String::valueOf).toList(),
                metrics,
                yaml.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("version") : null);
    }

    private static Object docField(Map<String, Object> yaml, String key) {
        Object value = yaml.get(key);
        if (value == null) {
            throw new IllegalStateException("'%s' is required".formatted(key));
        }
        if (value instanceof Integer i) {
            return (long) i;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (value instanceof String || value instanceof FunctionRef || value instanceof Long) {
            return value;
        }
        throw new IllegalStateException("'%s' has an unsupported value %s".formatted(key, value));
    }

    private static FunctionRef function(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof FunctionRef ref) {
            return ref;
        }
        throw new IllegalStateException("expected a !function, got " + value);
    }

    private static String string(Map<String, Object> yaml, String key) {
        Object value = yaml.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static String required(Map<String, Object> yaml, String key) {
        String value = string(yaml, key);
        if (value == null) {
            throw new IllegalStateException("'%s' is required".formatted(key));
        }
        return value;
    }

    private static List<?> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? list : List.of(value);
    }

    private static String describe(TaskFile file) {
        return file.description();
    }

    /** YAML with lm-eval's {@code !function} tag. */
    private static final class TaskConstructor extends SafeConstructor {

        TaskConstructor() {
            super(new LoaderOptions());
            this.yamlConstructors.put(new Tag("!function"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return new FunctionRef(((ScalarNode) node).getValue());
                }
            });
        }
    }
}
