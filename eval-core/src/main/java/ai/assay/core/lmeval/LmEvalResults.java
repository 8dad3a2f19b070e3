package ai.assay.core.lmeval;

import ai.assay.reference.lmeval.Aggregation;
import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.GroupConfig;
import ai.assay.reference.lmeval.LmEvalGroup;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.MetricResult;
import ai.assay.reference.lmeval.MetricSpec;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.code.CodeScoring;
import ai.assay.reference.lmeval.code.CodeTasks;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Aggregates a task's (or group's) stored per-document scores into lm-eval's results, and writes them in the
 * structure of lm-eval v0.4.12's {@code results.json} (commit {@code 4e7e0d47f}: {@code evaluator_utils.py}'s
 * {@code EvalAcc}, {@code api/group.py}'s {@code aggregate}, {@code config/task.py}'s {@code to_dict}):
 * {@code results}, {@code groups}, {@code group_subtasks}, {@code configs}, {@code versions}, {@code n-shot},
 * {@code higher_is_better}, {@code n-samples}. Keys are {@code "<metric>,<filter>"} and
 * {@code "<metric>_stderr,<filter>"}; a missing stderr is {@code "N/A"}.
 */
public final class LmEvalResults {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The aggregate of one task or group. */
    public record Entry(String name, boolean group, List<MetricResult> metrics) {}

    private final LmEvalCatalog catalog;
    private final String name;
    private final LmEvalOptions options;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, Integer> docCounts = new LinkedHashMap<>();

    /**
     * @param scoresByLeaf each leaf task's per-document scores (metric to value), in document order
     */
    public LmEvalResults(
            LmEvalCatalog catalog,
            String name,
            LmEvalOptions options,
            Map<String, List<Map<String, Double>>> scoresByLeaf) {
        this.catalog = catalog;
        this.name = name;
        this.options = options;
        for (LmEvalTask leaf : catalog.leaves(name)) {
            List<Map<String, Double>> scores = scoresByLeaf.getOrDefault(leaf.name(), List.of());
            if (scores.isEmpty()) {
                throw new IllegalStateException("no scored documents for " + leaf.name());
            }
            docCounts.put(leaf.name(), scores.size());
            List<MetricResult> metrics = leaf.config().generative()
                    ? GenerationTasks.scorer(leaf).aggregate(leaf.name(), scores)
                    : Aggregation.task(leaf, scores);
            entries.put(leaf.name(), new Entry(leaf.name(), false, metrics));
        }
        catalog.group(name).ifPresent(group -> {
            for (LmEvalGroup g : group.groups()) {
                entries.put(g.name(), new Entry(g.name(), true, groupMetrics(g)));
            }
        });
    }

    private List<MetricResult> groupMetrics(LmEvalGroup group) {
        List<MetricResult> results = new ArrayList<>();
        for (GroupConfig.GroupMetric metric : group.config().aggregateMetrics()) {
            for (String filter : metric.filters()) {
                List<MetricResult> leaves = new ArrayList<>();
                for (LmEvalTask leaf : group.leaves()) {
                    entries.get(leaf.name()).metrics().stream()
                            .filter(m -> m.metric().equals(metric.metric())
                                    && m.filter().equals(filter))
                            .findFirst()
                            .ifPresent(leaves::add);
                }
                if (!leaves.isEmpty()) {
                    MetricResult pooled = Aggregation.group(metric.metric(), leaves, metric.weightBySize());
                    results.add(new MetricResult(pooled.metric(), filter, pooled.value(), pooled.stderr(), pooled.n()));
                }
            }
        }
        return results;
    }

    /** The metrics of the task or group itself (what {@code metric_value} stores). */
    public List<MetricResult> headline() {
        return entries.get(name).metrics();
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    /**
     * The part of lm-eval's {@code results.json} that its {@code evaluate()} returns, as v0.4.12 writes it:
     * {@code results} (every leaf task in evaluation order as {@code name}, plain {@code alias},
     * {@code sample_len} and its metrics, then every group bottom-up, children before parents, as {@code alias},
     * {@code name} and, where it aggregates, {@code sample_len}, its metrics and {@code sample_count}),
     * {@code groups} (the aggregating groups, only when there is one), {@code group_subtasks} (each group's direct
     * children; empty for a single task), and, each sorted by name, {@code configs}, {@code versions} (a task's
     * {@code metadata.version} as the YAML has it, a group's as a string or {@code "N/A"}), {@code n-shot} and
     * {@code higher_is_better} (a group takes them from those of its children that already have one, the shots
     * only when those agree; lm-eval visits groups parents first, so a group of groups such as {@code mmlu} gets
     * neither), then {@code n-samples} in evaluation order.
     *
     * @param originalCounts each leaf's number of documents before {@code limit}; absent leaves count as scored
     */
    public ObjectNode toJson(Map<String, Integer> originalCounts) {
        return toJson(originalCounts, Map.of());
    }

    /**
     * As {@link #toJson(Map)}, each task's {@code metadata} in {@code configs} merged with {@code runMetadata}, as
     * lm-eval merges the parsed {@code model_args} (and {@code --metadata}) into every task's metadata.
     */
    public ObjectNode toJson(Map<String, Integer> originalCounts, Map<String, Object> runMetadata) {
        List<LmEvalTask> leaves = catalog.leaves(name);
        List<LmEvalGroup> groupsParentsFirst =
                catalog.group(name).map(LmEvalGroup::groups).orElse(List.of());
        ObjectNode root = F.objectNode();
        ObjectNode results = root.putObject("results");
        ObjectNode groups = F.objectNode();
        for (LmEvalTask leaf : leaves) {
            ObjectNode out = results.putObject(leaf.name());
            out.put("name", leaf.name());
            out.put("alias", leaf.config().alias());
            out.put("sample_len", docCounts.get(leaf.name()));
            metrics(out, entries.get(leaf.name()).metrics());
        }
        for (LmEvalGroup group : bottomUp(groupsParentsFirst)) {
            ObjectNode out = results.putObject(group.name());
            out.put("alias", group.config().alias());
            out.put("name", group.name());
            if (!group.config().aggregateMetrics().isEmpty()) {
                int sampleLen = group.leaves().stream()
                        .mapToInt(t -> docCounts.get(t.name()))
                        .sum();
                out.put("sample_len", sampleLen);
                List<MetricResult> metrics = entries.get(group.name()).metrics();
                metrics(out, metrics);
                if (!metrics.isEmpty()) {
                    ObjectNode sampleCount = out.putObject("sample_count");
                    metrics.forEach(m -> sampleCount.put(m.metric() + "," + m.filter(), m.n()));
                }
                groups.set(group.name(), out.deepCopy());
            }
        }
        if (!groups.isEmpty()) {
            root.set("groups", groups);
        }
        ObjectNode subtasks = root.putObject("group_subtasks");
        for (LmEvalGroup group : groupsParentsFirst) {
            var children = subtasks.putArray(group.name());
            group.children().forEach(child -> children.add(childName(child)));
        }
        Map<String, JsonNode> configs = new TreeMap<>();
        Map<String, JsonNode> versions = new TreeMap<>();
        Map<String, Integer> nShot = new LinkedHashMap<>();
        Map<String, Map<String, Boolean>> higher = new LinkedHashMap<>();
        ObjectNode nSamples = F.objectNode();
        for (LmEvalTask leaf : leaves) {
            int shots = TaskPrompts.effectiveShots(leaf.config(), options.numFewshot());
            configs.put(leaf.name(), config(leaf, shots, runMetadata));
            Object version = leaf.config().version();
            versions.put(leaf.name(), version == null ? F.stringNode("Yaml") : jsonOf(version));
            nShot.put(leaf.name(), shots);
            Map<String, Boolean> better = new LinkedHashMap<>();
            leaf.config().metrics().forEach(m -> better.put(m.metric(), m.higherIsBetter()));
            if (CodeTasks.runsCode(leaf.config())) {
                // process_results gives pass_at_k's direction to each pass@k key it returns, after the name
                List<MetricSpec> specs = leaf.config().metrics();
                List<CodeScoring.Metric> code = CodeScoring.of(leaf.config()).metrics();
                for (int i = 0; i < code.size(); i++) {
                    if (code.get(i).keyed()) {
                        boolean up = specs.get(i).higherIsBetter();
                        code.get(i).ks().forEach(k -> better.putIfAbsent("pass@" + k, up));
                    }
                }
            }
            higher.put(leaf.name(), better);
            int effective = docCounts.get(leaf.name());
            nSamples.putObject(leaf.name())
                    .put("original", originalCounts.getOrDefault(leaf.name(), effective))
                    .put("effective", effective);
        }
        for (LmEvalGroup group : groupsParentsFirst) {
            Object version = group.config().version();
            versions.put(group.name(), F.stringNode(version == null ? "N/A" : PyValues.str(pythonValue(version))));
            List<Integer> shots = new ArrayList<>();
            Map<String, Boolean> better = new LinkedHashMap<>();
            for (Object child : group.children()) {
                String childName = childName(child);
                if (nShot.containsKey(childName) && !shots.contains(nShot.get(childName))) {
                    shots.add(nShot.get(childName));
                }
                if (higher.containsKey(childName)) {
                    higher.get(childName).forEach((metric, h) -> {
                        if (!better.containsKey(metric)) {
                            better.put(metric, h);
                        } else if (better.get(metric) != null
                                && !better.get(metric).equals(h)) {
                            better.put(metric, null); // lm-eval: inconsistent across children, None
                        }
                    });
                }
            }
            if (shots.size() == 1) {
                nShot.put(group.name(), shots.get(0));
            }
            if (!better.isEmpty()) {
                higher.put(group.name(), better);
            }
        }
        ObjectNode configsJson = root.putObject("configs");
        configs.forEach(configsJson::set);
        ObjectNode versionsJson = root.putObject("versions");
        versions.forEach(versionsJson::set);
        ObjectNode nShotJson = root.putObject("n-shot");
        new TreeMap<>(nShot).forEach(nShotJson::put);
        ObjectNode higherJson = root.putObject("higher_is_better");
        new TreeMap<>(higher).forEach((task, metrics) -> {
            ObjectNode m = higherJson.putObject(task);
            metrics.forEach(m::put);
        });
        root.set("n-samples", nSamples);
        return root;
    }

    /** lm-eval's order of group aggregation: each group after the groups under it (post-order from the root). */
    private static List<LmEvalGroup> bottomUp(List<LmEvalGroup> parentsFirst) {
        List<LmEvalGroup> order = new ArrayList<>();
        if (!parentsFirst.isEmpty()) {
            visit(parentsFirst.get(0), order);
        }
        return order;
    }

    private static void visit(LmEvalGroup group, List<LmEvalGroup> order) {
        for (Object child : group.children()) {
            if (child instanceof LmEvalGroup g && !order.contains(g)) {
                visit(g, order);
            }
        }
        order.add(group);
    }

    private static String childName(Object child) {
        return child instanceof LmEvalTask t ? t.name() : ((LmEvalGroup) child).name();
    }

    private static void metrics(ObjectNode out, List<MetricResult> metrics) {
        for (MetricResult m : metrics) {
            out.put(m.metric() + "," + m.filter(), m.value());
            if (m.stderr() == null) {
                out.put(m.metric() + "_stderr," + m.filter(), "N/A");
            } else {
                out.put(m.metric() + "_stderr," + m.filter(), m.stderr());
            }
        }
    }

    /**
     * The task's configuration as lm-eval writes it ({@code TaskConfig.to_dict()}): the fields of its
     * {@code TaskConfig} dataclass in declaration order, those that are None left out, defaults filled in,
     * {@code num_fewshot} the shots used, {@code fewshot_config} the complete {@code FewshotConfig} (its None
     * fields kept, as {@code dataclasses.asdict} keeps nested ones), and a generation task's
     * {@code generation_kwargs} as {@code __post_init__} leaves them (the temperature a float, {@code until} the
     * few-shot delimiter where the YAML has none, {@code default_gen_kwargs} where it has no kwargs at all). lm-eval writes a {@code !function} helper as
     * its Python source at the top level and as the function's {@code repr} inside {@code fewshot_config}; Assay
     * has neither and writes {@code "!function module.name"} in both places. lm-eval also adds the YAML's path as
     * {@code metadata.config_source}, a path of the machine it ran on; Assay leaves it out.
     */
    private static ObjectNode config(LmEvalTask task, int shots, Map<String, Object> runMetadata) {
        TaskConfig c = task.config();
        Map<String, Object> raw = c.raw();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("task", c.task());
        config.put("task_alias", c.taskAlias());
        config.put("tag", raw.get("tag"));
        config.put("dataset_path", c.datasetPath());
        config.put("dataset_name", c.datasetName());
        config.put("dataset_kwargs", raw.get("dataset_kwargs"));
        config.put("training_split", c.trainingSplit());
        config.put("validation_split", c.validationSplit());
        config.put("test_split", c.testSplit());
        config.put("fewshot_split", c.fewshotSplit());
        config.put("process_docs", c.processDocs());
        config.put("doc_to_text", c.docToText());
        config.put("doc_to_target", c.docToTarget());
        config.put("doc_to_image", raw.get("doc_to_image"));
        config.put("doc_to_audio", raw.get("doc_to_audio"));
        config.put("unsafe_code", raw.getOrDefault("unsafe_code", Boolean.FALSE));
        config.put("doc_to_choice", c.docToChoice());
        config.put("process_results", c.processResults());
        config.put("use_prompt", raw.get("use_prompt"));
        config.put("description", c.description());
        config.put("target_delimiter", c.targetDelimiter());
        config.put("fewshot_delimiter", c.fewshotDelimiter());
        config.put("fewshot_config", fewshotConfig(c, raw));
        config.put("num_fewshot", (long) shots);
        config.put("metric_list", raw.get("metric_list"));
        config.put("output_type", c.outputType());
        config.put(
                "generation_kwargs",
                c.generationKwargs() == null ? null : c.generationKwargs().asConfigured());
        config.put("repeats", raw.getOrDefault("repeats", 1L));
        config.put("filter_list", raw.get("filter_list"));
        config.put("should_decontaminate", raw.getOrDefault("should_decontaminate", Boolean.FALSE));
        config.put("doc_to_decontamination_query", raw.get("doc_to_decontamination_query"));
        config.put("gen_prefix", c.genPrefix());
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (raw.get("metadata") instanceof Map<?, ?> yaml) {
            yaml.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        metadata.putAll(runMetadata);
        config.put("metadata", metadata.isEmpty() ? null : metadata);
        ObjectNode json = F.objectNode();
        config.forEach((key, value) -> {
            if (value != null && value != PyValues.NONE) {
                json.set(key, jsonOf(value));
            }
        });
        return json;
    }

    /** {@code FewshotConfig.from_dict}: the task's split, delimiters and formatting, overridden by its YAML. */
    private static Map<String, Object> fewshotConfig(TaskConfig c, Map<String, Object> raw) {
        Map<String, Object> given = new LinkedHashMap<>();
        if (raw.get("fewshot_config") instanceof Map<?, ?> yaml) {
            yaml.forEach((k, v) -> given.put(String.valueOf(k), v));
        }
        Map<String, Object> fewshot = new LinkedHashMap<>();
        fewshot.put("sampler", given.getOrDefault("sampler", "default"));
        fewshot.put("split", given.getOrDefault("split", c.fewshotSplit()));
        fewshot.put("process_docs", given.getOrDefault("process_docs", c.processDocs()));
        fewshot.put("fewshot_indices", given.get("fewshot_indices"));
        fewshot.put("samples", given.get("samples"));
        fewshot.put("doc_to_text", given.getOrDefault("doc_to_text", c.docToText()));
        fewshot.put("doc_to_choice", given.getOrDefault("doc_to_choice", c.docToChoice()));
        fewshot.put("doc_to_target", given.getOrDefault("doc_to_target", c.docToTarget()));
        fewshot.put("gen_prefix", given.getOrDefault("gen_prefix", c.genPrefix()));
        fewshot.put("fewshot_delimiter", given.getOrDefault("fewshot_delimiter", c.fewshotDelimiter()));
        fewshot.put("target_delimiter", given.getOrDefault("target_delimiter", c.targetDelimiter()));
        return fewshot;
    }

    /** A YAML value as JSON: a {@code !function} as its reference text, ints as Python ints, None as null. */
    private static JsonNode jsonOf(Object value) {
        if (value == null) {
            return F.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = F.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), jsonOf(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            var array = F.arrayNode();
            list.forEach(v -> array.add(jsonOf(v)));
            return array;
        }
        if (value instanceof FunctionRef ref) {
            return F.stringNode(ref.toString());
        }
        return PyValues.toJson(pythonValue(value));
    }

    private static Object pythonValue(Object value) {
        if (value instanceof Integer i) {
            return (long) i;
        }
        if (value instanceof Float f) {
            return (double) f;
        }
        return value;
    }
}
