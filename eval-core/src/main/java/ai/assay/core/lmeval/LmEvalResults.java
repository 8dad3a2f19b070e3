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
import ai.assay.reference.lmeval.filters.GenerateUntilAggregation;
import ai.assay.reference.python.PyValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Aggregates a task's (or group's) stored per-document scores into lm-eval's results, and writes them in the
 * structure of lm-eval's {@code results.json}: {@code results}, {@code groups}, {@code group_subtasks},
 * {@code configs}, {@code versions}, {@code n-shot}, {@code higher_is_better}, {@code n-samples}. Keys are
 * {@code "<metric>,<filter>"} and {@code "<metric>_stderr,<filter>"}; a missing stderr is {@code "N/A"}.
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
                    ? GenerateUntilAggregation.task(leaf.name(), GenerationTasks.scoring(leaf), scores)
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
     * The results.json structure.
     *
     * @param originalCounts each leaf's number of documents before {@code limit}; absent leaves count as scored
     */
    public ObjectNode toJson(Map<String, Integer> originalCounts) {
        ObjectNode root = F.objectNode();
        ObjectNode results = root.putObject("results");
        ObjectNode groups = F.objectNode();
        writeTree(name, 0, results, groups);
        if (!groups.isEmpty()) {
            root.set("groups", groups);
        }
        root.set("group_subtasks", groupSubtasks());
        ObjectNode configs = root.putObject("configs");
        ObjectNode versions = F.objectNode();
        ObjectNode nShot = F.objectNode();
        ObjectNode higher = F.objectNode();
        ObjectNode nSamples = root.putObject("n-samples");
        List<LmEvalTask> leaves = new ArrayList<>(catalog.leaves(name));
        leaves.sort(Comparator.comparing(LmEvalTask::name));
        for (LmEvalTask leaf : leaves) {
            int shots = TaskPrompts.effectiveShots(leaf.config(), options.numFewshot());
            configs.set(leaf.name(), config(leaf, shots));
            versions.set(leaf.name(), PyValues.toJson(versionOf(leaf.config().version())));
            nShot.put(leaf.name(), shots);
            ObjectNode better = higher.putObject(leaf.name());
            leaf.config().metrics().forEach(m -> better.put(m.metric(), m.higherIsBetter()));
            int effective = docCounts.get(leaf.name());
            nSamples.putObject(leaf.name())
                    .put("original", originalCounts.getOrDefault(leaf.name(), effective))
                    .put("effective", effective);
        }
        catalog.group(name).ifPresent(root2 -> {
            for (LmEvalGroup group : root2.groups()) {
                versions.set(
                        group.name(), PyValues.toJson(versionOf(group.config().version())));
                List<Integer> shots = group.leaves().stream()
                        .map(t -> TaskPrompts.effectiveShots(t.config(), options.numFewshot()))
                        .distinct()
                        .toList();
                if (shots.size() == 1) {
                    nShot.put(group.name(), shots.get(0));
                }
                ObjectNode better = higher.putObject(group.name());
                group.config().aggregateMetrics().forEach(m -> better.put(m.metric(), true));
            }
        });
        root.set("versions", sorted(versions));
        root.set("n-shot", sorted(nShot));
        root.set("higher_is_better", sorted(higher));
        return root;
    }

    private void writeTree(String node, int depth, ObjectNode results, ObjectNode groups) {
        Entry entry = entries.get(node);
        String indent = depth > 0 ? " ".repeat(depth) + "- " : "";
        ObjectNode out = F.objectNode();
        if (entry.group()) {
            metrics(out, entry.metrics());
            out.put("alias", indent + catalog.group(node).orElseThrow().config().alias());
            results.set(node, out);
            groups.set(node, out.deepCopy());
            List<String> children = new ArrayList<>();
            for (Object child : catalog.group(node).orElseThrow().children()) {
                children.add(child instanceof LmEvalTask t ? t.name() : ((LmEvalGroup) child).name());
            }
            children.sort(Comparator.naturalOrder());
            for (String child : children) {
                writeTree(child, depth + 1, results, groups);
            }
        } else {
            out.put("alias", indent + catalog.task(node).orElseThrow().config().alias());
            metrics(out, entry.metrics());
            results.set(node, out);
        }
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

    private ObjectNode groupSubtasks() {
        ObjectNode subtasks = F.objectNode();
        var group = catalog.group(name);
        if (group.isEmpty()) {
            subtasks.putArray(name);
            return subtasks;
        }
        List<LmEvalGroup> all = new ArrayList<>(group.get().groups());
        java.util.Collections.reverse(all);
        for (LmEvalGroup g : all) {
            var list = subtasks.putArray(g.name());
            for (Object child : g.children()) {
                list.add(child instanceof LmEvalTask t ? t.name() : ((LmEvalGroup) child).name());
            }
        }
        return subtasks;
    }

    /** The task's configuration as lm-eval's results list it: the YAML with its defaults and the shots used. */
    private static ObjectNode config(LmEvalTask task, int shots) {
        TaskConfig c = task.config();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("task", c.task());
        if (c.taskAlias() != null) {
            config.put("task_alias", c.taskAlias());
        }
        if (!c.tags().isEmpty()) {
            config.put("tag", c.tags());
        }
        config.put("dataset_path", c.datasetPath());
        config.put("dataset_name", c.datasetName());
        config.put("training_split", c.trainingSplit());
        config.put("validation_split", c.validationSplit());
        config.put("test_split", c.testSplit());
        config.put("fewshot_split", c.fewshotSplit());
        config.put("process_docs", c.processDocs());
        config.put("doc_to_text", c.docToText());
        config.put("doc_to_target", c.docToTarget());
        config.put("doc_to_choice", c.docToChoice());
        config.put("process_results", c.processResults());
        config.put("description", c.description());
        config.put("target_delimiter", c.targetDelimiter());
        config.put("fewshot_delimiter", c.fewshotDelimiter());
        if (!"default".equals(c.sampler())) {
            config.put("fewshot_config", Map.of("sampler", c.sampler()));
        }
        config.put("num_fewshot", (long) shots);
        List<Object> metrics = new ArrayList<>();
        for (MetricSpec m : c.metrics()) {
            Map<String, Object> metric = new LinkedHashMap<>();
            metric.put("metric", m.metric());
            metric.put("aggregation", m.aggregation());
            metric.put("higher_is_better", m.higherIsBetter());
            metrics.add(metric);
        }
        config.put("metric_list", metrics);
        config.put("output_type", c.outputType());
        config.put("repeats", 1L);
        if (c.genPrefix() != null) {
            config.put("gen_prefix", c.genPrefix());
        }
        config.put("should_decontaminate", Boolean.TRUE.equals(c.raw().get("should_decontaminate")));
        config.put("metadata", Map.of("version", versionOf(c.version())));
        ObjectNode json = F.objectNode();
        config.forEach((key, value) -> json.set(
                key,
                value == null
                        ? F.nullNode()
                        : value instanceof FunctionRef ref ? F.stringNode(ref.toString()) : PyValues.toJson(value)));
        return json;
    }

    private static Object versionOf(Object version) {
        if (version instanceof Integer i) {
            return (long) i;
        }
        return version == null ? PyValues.NONE : version;
    }

    private static ObjectNode sorted(ObjectNode node) {
        ObjectNode out = F.objectNode();
        new TreeMap<String, JsonNode>() {
            {
                node.properties().forEach(e -> put(e.getKey(), e.getValue()));
            }
        }.forEach(out::set);
        return out;
    }
}
