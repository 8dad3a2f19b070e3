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
 *
 * <p>Defaults are those of lm-eval's {@code TaskConfig} and {@code FewshotConfig} ({@code lm_eval/config/task.py}
 * at 4e7e0d47f): {@code output_type} {@code generate_until}, the {@code generation_kwargs} of
 * {@link TaskConfig.GenerationKwargs}, {@code repeats} 1, {@code fewshot_config} fields inherited from the task.
 * {@code filter_list} and a metric's keyword arguments are kept as written; the filters and metrics read them.
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
            "generation_kwargs",
            "repeats",
            "filter_list",
            "unsafe_code",
            "metadata",
            "include");
    private static final Set<String> FEWSHOT_KEYS = Set.of(
            "sampler",
            "split",
            "samples",
            // lm-eval at 4e7e0d47f reads it into FewshotConfig but never hands it to the sampler.
            "fewshot_indices",
            "doc_to_text",
            "doc_to_target",
            "doc_to_choice",
            "gen_prefix",
            "fewshot_delimiter",
            "target_delimiter");
    private static final Set<String> OUTPUT_TYPES = Set.of(TaskConfig.MULTIPLE_CHOICE, TaskConfig.GENERATE_UNTIL);
    /** The keys of a {@code metric_list} entry that are not the metric's keyword arguments. */
    private static final Set<String> METRIC_KEYS = Set.of("metric", "aggregation", "higher_is_better", "hf_evaluate");
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
                    literalSamples(yaml, resource);
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

    /**
     * A {@code fewshot_config.samples: !function m.f} that {@link TaskFunctions#isLiteralSamples} knows (MBPP's
     * {@code utils.list_fewshot_samples}, whose body returns a list literal) becomes that list, read from
     * {@code m.py} beside the task file: the exemplars are the task's, so they are read where the task files are,
     * never shipped.
     */
    private static void literalSamples(Map<String, Object> yaml, TaskFile resource) {
        if (!(yaml.get("fewshot_config") instanceof Map<?, ?> fewshot)
                || !(fewshot.get("samples") instanceof FunctionRef ref)
                || !TaskFunctions.isLiteralSamples(resource.directory(), ref)) {
            return;
        }
        String module = ref.key().substring(0, ref.key().lastIndexOf('.'));
        String source;
        TaskFile file;
        try {
            file = resource.relative(module + ".py");
            try (InputStream in = file.open()) {
                source = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read %s.py for fewshot_config.samples %s".formatted(module, ref), e);
        }
        Map<Object, Object> copy = new LinkedHashMap<>(fewshot);
        copy.put("samples", TaskFunctions.literalSamples(source, ref, describe(file)));
        yaml.put("fewshot_config", copy);
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
        // lm-eval's TaskConfig defaults output_type to generate_until.
        String outputType = yaml.containsKey("output_type") ? string(yaml, "output_type") : TaskConfig.GENERATE_UNTIL;
        if (!OUTPUT_TYPES.contains(outputType)) {
            throw new IllegalStateException(
                    "output_type '%s' is not supported (only multiple_choice and generate_until)"
                            .formatted(outputType));
        }
        List<MetricSpec> metrics = new ArrayList<>();
        for (Object entry : list(yaml.get("metric_list"))) {
            metrics.add(metric(entry));
        }
        if (metrics.isEmpty()) {
            throw new IllegalStateException("no metric_list");
        }
        Object docToText = docField(yaml, "doc_to_text");
        Object docToTarget = docField(yaml, "doc_to_target");
        Object docToChoice = yaml.get("doc_to_choice") == null && !TaskConfig.MULTIPLE_CHOICE.equals(outputType)
                ? null
                : docField(yaml, "doc_to_choice");
        String targetDelimiter =
                yaml.containsKey("target_delimiter") ? String.valueOf(yaml.get("target_delimiter")) : " ";
        String fewshotDelimiter =
                yaml.containsKey("fewshot_delimiter") ? String.valueOf(yaml.get("fewshot_delimiter")) : "\n\n";
        String genPrefix = string(yaml, "gen_prefix");
        TaskConfig.FewshotConfig fewshot = fewshotConfig(
                yaml.get("fewshot_config"),
                TaskConfig.FewshotConfig.inheriting(
                        string(yaml, "fewshot_split"),
                        docToText,
                        docToTarget,
                        docToChoice,
                        genPrefix,
                        fewshotDelimiter,
                        targetDelimiter));
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
                docToText,
                docToTarget,
                docToChoice,
                function(yaml.get("process_results")),
                targetDelimiter,
                fewshotDelimiter,
                yaml.containsKey("description") && yaml.get("description") != null
                        ? String.valueOf(yaml.get("description"))
                        : "",
                numFewshot == null ? null : ((Number) numFewshot).intValue(),
                fewshot,
                genPrefix,
                metrics,
                generationKwargs(yaml, outputType, fewshotDelimiter),
                repeats(yaml.get("repeats")),
                filterList(yaml.get("filter_list")),
                yaml.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("version") : null,
                yaml);
    }

    /**
     * One {@code metric_list} entry: lm-eval takes the aggregation given (default {@code mean} for the metrics
     * Assay knows), {@code higher_is_better} (default true) and passes every other key to the metric function.
     */
    private static MetricSpec metric(Object entry) {
        if (!(entry instanceof Map<?, ?> metric) || !metric.containsKey("metric")) {
            throw new IllegalStateException("a metric_list entry has no 'metric': " + entry);
        }
        FunctionRef function = metric.get("metric") instanceof FunctionRef ref ? ref : null;
        String name;
        if (function != null) {
            // lm-eval names a callable metric by its __name__: utils.pass_at_k is pass_at_k
            name = function.key().substring(function.key().lastIndexOf('.') + 1);
        } else if (metric.get("metric") instanceof String given) {
            name = given;
        } else {
            throw new IllegalStateException(
                    "metric '%s' is not supported (only a metric name or a !function)".formatted(metric.get("metric")));
        }
        Object aggregation = metric.containsKey("aggregation") ? metric.get("aggregation") : "mean";
        if (!(aggregation instanceof FunctionRef) && !"mean".equals(aggregation)) {
            throw new IllegalStateException(
                    "aggregation '%s' is not supported (only mean or a !function)".formatted(aggregation));
        }
        Object higher = metric.containsKey("higher_is_better") ? metric.get("higher_is_better") : Boolean.TRUE;
        Map<String, Object> kwargs = new LinkedHashMap<>();
        metric.forEach((key, value) -> {
            if (!METRIC_KEYS.contains(String.valueOf(key))) {
                kwargs.put(String.valueOf(key), value);
            }
        });
        return new MetricSpec(name, aggregation, Boolean.TRUE.equals(higher), kwargs, function);
    }

    /** {@code fewshot_config} over what it inherits, as {@code FewshotConfig.from_dict} merges them. */
    private static TaskConfig.FewshotConfig fewshotConfig(Object value, TaskConfig.FewshotConfig inherited) {
        if (value == null) {
            return inherited;
        }
        if (!(value instanceof Map<?, ?> fewshot)) {
            throw new IllegalStateException("fewshot_config must be a mapping, was " + value);
        }
        for (Object key : fewshot.keySet()) {
            if (!FEWSHOT_KEYS.contains(String.valueOf(key))) {
                throw new IllegalStateException("unsupported fewshot_config key '%s'".formatted(key));
            }
        }
        String sampler = fewshot.containsKey("sampler") ? String.valueOf(fewshot.get("sampler")) : "default";
        if (!sampler.equals("default") && !sampler.equals("first_n")) {
            throw new IllegalStateException("unknown sampler '%s'".formatted(sampler));
        }
        List<Map<String, Object>> samples = null;
        FunctionRef samplesFunction = null;
        Object given = fewshot.get("samples");
        if (given instanceof FunctionRef ref) {
            samplesFunction = ref;
        } else if (given instanceof List<?> list) {
            samples = new ArrayList<>();
            for (Object sample : list) {
                if (!(sample instanceof Map<?, ?> doc)) {
                    throw new IllegalStateException("fewshot_config.samples must be a list of mappings, has " + sample);
                }
                Map<String, Object> copy = new LinkedHashMap<>();
                doc.forEach((key, v) -> copy.put(String.valueOf(key), v));
                samples.add(copy);
            }
        } else if (given != null) {
            throw new IllegalStateException("fewshot_config.samples must be a list or a !function, was " + given);
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        fewshot.forEach((key, v) -> overrides.put(String.valueOf(key), v));
        return new TaskConfig.FewshotConfig(
                sampler,
                overrides.containsKey("split") ? string(overrides, "split") : inherited.split(),
                samples,
                samplesFunction,
                overrides.get("doc_to_text") != null ? docField(overrides, "doc_to_text") : inherited.docToText(),
                overrides.get("doc_to_target") != null ? docField(overrides, "doc_to_target") : inherited.docToTarget(),
                overrides.get("doc_to_choice") != null
                        ? docField(overrides, "doc_to_choice")
                        : overrides.containsKey("doc_to_choice") ? null : inherited.docToChoice(),
                overrides.containsKey("gen_prefix") ? string(overrides, "gen_prefix") : inherited.genPrefix(),
                overrides.containsKey("fewshot_delimiter")
                        ? String.valueOf(overrides.get("fewshot_delimiter"))
                        : inherited.fewshotDelimiter(),
                overrides.containsKey("target_delimiter")
                        ? String.valueOf(overrides.get("target_delimiter"))
                        : inherited.targetDelimiter());
    }

    @SuppressWarnings("unchecked")
    private static TaskConfig.GenerationKwargs generationKwargs(
            Map<String, Object> yaml, String outputType, String fewshotDelimiter) {
        Object value = yaml.get("generation_kwargs");
        if (value == null) {
            return TaskConfig.GENERATE_UNTIL.equals(outputType)
                    ? TaskConfig.GenerationKwargs.defaults(fewshotDelimiter)
                    : null;
        }
        if (!(value instanceof Map<?, ?> kwargs)) {
            throw new IllegalStateException("generation_kwargs must be a mapping, was " + value);
        }
        return TaskConfig.GenerationKwargs.of((Map<String, Object>) kwargs, fewshotDelimiter);
    }

    private static int repeats(Object value) {
        if (value == null) {
            return 1;
        }
        if (value instanceof Integer || value instanceof Long) {
            int repeats = Math.toIntExact(((Number) value).longValue());
            if (repeats >= 1) {
                return repeats;
            }
        }
        throw new IllegalStateException("repeats must be a positive integer, was " + value);
    }

    /** {@code filter_list} as written; only its shape is checked (each entry a name and a list of filters). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> filterList(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException("filter_list must be a list, was " + value);
        }
        List<Map<String, Object>> pipelines = new ArrayList<>();
        for (Object entry : list) {
            if (!(entry instanceof Map<?, ?> pipeline)
                    || !(pipeline.get("name") instanceof String)
                    || !(pipeline.get("filter") instanceof List<?> filters)) {
                throw new IllegalStateException("a filter_list entry needs a name and a list of filters: " + entry);
            }
            for (Object filter : filters) {
                if (!(filter instanceof Map<?, ?> step) || !step.containsKey("function")) {
                    throw new IllegalStateException(
                            "filter '%s' has a step without a function: %s".formatted(pipeline.get("name"), filter));
                }
            }
            pipelines.add((Map<String, Object>) pipeline);
        }
        return pipelines;
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
