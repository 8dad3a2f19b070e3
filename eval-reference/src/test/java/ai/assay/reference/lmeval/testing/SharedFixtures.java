package ai.assay.reference.lmeval.testing;

import ai.assay.reference.lmeval.ChatOptions;
import ai.assay.reference.lmeval.ChatPrompt;
import ai.assay.reference.lmeval.Doc;
import ai.assay.reference.lmeval.DocRequests;
import ai.assay.reference.lmeval.LmEvalTask;
import ai.assay.reference.lmeval.TaskConfig;
import ai.assay.reference.lmeval.TaskFile;
import ai.assay.reference.lmeval.TaskFileLoader;
import ai.assay.reference.lmeval.TaskPrompts;
import ai.assay.reference.lmeval.TaskTree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opentest4j.TestAbortedException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The project's shared lm-eval fixtures ({@code shared/fixtures/lm_eval/} beside the checkout): lm-eval's own
 * task files, verbatim, under {@code tasks/}, and real dataset rows as {@code <dataset id>/<config>/<split>.jsonl}.
 * Found by walking up from the working directory; the tests that use them fail, saying so, where they are absent.
 */
public final class SharedFixtures {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long FEWSHOT_SEED = 1234;

    private SharedFixtures() {}

    /** {@code shared/fixtures/lm_eval} in the working directory or above it, if there is one. */
    public static Optional<Path> find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures/lm_eval");
            if (Files.isDirectory(candidate.resolve("tasks"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code shared/fixtures/lm_eval}; a test without it is skipped. Test classes that read it mark themselves
     * {@link RequiresSharedFixtures}, so that even their static fields are never read without it.
     */
    public static Path root() {
        return find().orElseThrow(() -> new TestAbortedException(
                "no shared/fixtures/lm_eval/tasks above " + Path.of("").toAbsolutePath()
                        + ": these tests read lm-eval's own task files from the shared fixtures"));
    }

    public static Path tasks() {
        return root().resolve("tasks");
    }

    /** The task files (with {@code .yaml} names) under the given folders of {@code tasks/}. */
    public static List<TaskFile> taskFiles(String... folders) {
        return TaskFile.under(tasks()).stream()
                .filter(file ->
                        Arrays.stream(folders).anyMatch(folder -> file.path().startsWith(folder + "/")))
                .toList();
    }

    public static TaskFileLoader.Loaded load(String... folders) {
        return TaskFileLoader.load(taskFiles(folders));
    }

    public static TaskTree tree(String... folders) {
        return TaskTree.of(taskFiles(folders));
    }

    /** A task file read as plain YAML (for the test's own reading of exemplars). */
    public static Map<String, Object> yaml(String path) {
        try (InputStream in = Files.newInputStream(tasks().resolve(path))) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of {@code <dataset>/<config>/<split>.jsonl}, in file order. */
    public static List<ObjectNode> rows(String dataset, String config, String split) {
        Path file = root().resolve(dataset).resolve(config).resolve(split + ".jsonl");
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> (ObjectNode) MAPPER.readTree(line))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requests lm-eval builds for the task over the fixture rows, with lm-eval's default few-shot seed. */
    public static List<DocRequests> requests(LmEvalTask task, int numFewshot, Integer limit) {
        return requests(task, numFewshot, limit, ChatOptions.NONE, null);
    }

    /** As {@link #requests(LmEvalTask, int, Integer)}, with prompt options and a chat template's renderer. */
    public static List<DocRequests> requests(
            LmEvalTask task, int numFewshot, Integer limit, ChatOptions options, ChatPrompt.Renderer renderer) {
        List<Doc> evalDocs = docs(task, task.config().evalSplit());
        return TaskPrompts.build(
                task,
                evalDocs,
                fewshotDocs(task, numFewshot, evalDocs),
                numFewshot,
                FEWSHOT_SEED,
                limit,
                options,
                renderer);
    }

    /** The chat messages lm-eval builds for the task over the fixture rows, before a template renders them. */
    public static List<ChatPrompt> chatPrompts(LmEvalTask task, int numFewshot, Integer limit, ChatOptions options) {
        List<Doc> evalDocs = docs(task, task.config().evalSplit());
        return TaskPrompts.chatPrompts(
                task, evalDocs, fewshotDocs(task, numFewshot, evalDocs), numFewshot, FEWSHOT_SEED, limit, options);
    }

    private static List<Doc> fewshotDocs(LmEvalTask task, int numFewshot, List<Doc> evalDocs) {
        TaskConfig config = task.config();
        return TaskPrompts.effectiveShots(config, numFewshot) == 0 || config.fewshotFromSamples()
                ? List.of()
                : config.fewshotSourceSplit().equals(config.evalSplit())
                        ? evalDocs
                        : docs(task, config.fewshotSourceSplit());
    }

    private static List<Doc> docs(LmEvalTask task, String split) {
        TaskConfig config = task.config();
        String dataset = config.datasetName() == null ? "default" : config.datasetName();
        return task.docs(rows(config.datasetPath(), dataset, split));
    }
}
