package ai.assay.reference.lmeval.testing;

import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskFile;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.TaskTree;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shipped task tree (this module's {@code lmeval/tasks/}, read from disk) over the {@link TestDatasets} rows,
 * with the few-shot seed lm-eval defaults to: what the conformance tests render and score, without the service's
 * dataset resolver.
 */
public final class ReferenceTasks {

    public static final TaskTree TREE = TaskTree.of(TaskFile.under(taskRoot()));

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long FEWSHOT_SEED = 1234;

    private ReferenceTasks() {}

    public static LmEvalTask task(String name) {
        return TREE.task(name).orElseThrow(() -> new IllegalArgumentException("no task " + name));
    }

    public static List<DocRequests> requests(String task, int numFewshot) {
        return requests(task, numFewshot, null);
    }

    /** The requests lm-eval builds for {@code task}, loading the few-shot pool only when shots are asked for. */
    public static List<DocRequests> requests(String name, int numFewshot, Integer limit) {
        LmEvalTask task = task(name);
        TaskConfig config = task.config();
        List<Doc> evalDocs = docs(task, config.evalSplit());
        List<Doc> fewshotDocs = TaskPrompts.effectiveShots(config, numFewshot) == 0
                ? List.of()
                : config.fewshotSourceSplit().equals(config.evalSplit())
                        ? evalDocs
                        : docs(task, config.fewshotSourceSplit());
        return TaskPrompts.build(task, evalDocs, fewshotDocs, numFewshot, FEWSHOT_SEED, limit);
    }

    private static List<Doc> docs(LmEvalTask task, String split) {
        TaskConfig config = task.config();
        String dataset = config.datasetName() == null ? "default" : config.datasetName();
        String file = config.datasetPath() + "/" + dataset + "/" + split + ".jsonl";
        List<ObjectNode> rows = TestDatasets.read(file)
                .lines()
                .filter(line -> !line.isBlank())
                .map(line -> (ObjectNode) MAPPER.readTree(line))
                .toList();
        return task.docs(rows);
    }

    private static Path taskRoot() {
        URL url = ReferenceTasks.class.getClassLoader().getResource("lmeval/tasks");
        if (url == null) {
            throw new IllegalStateException("no lmeval/tasks on the classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
