package ai.assay.reference.lmeval.filters;

import ai.assay.reference.lmeval.FunctionRef;
import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import tools.jackson.databind.json.JsonMapper;

/**
 * lm-eval's own task files and real benchmark rows from the repository's {@code shared/fixtures/lm_eval}, read
 * only as far as these tests need: a file's {@code filter_list} and {@code metric_list} as the YAML reader gives
 * them (following {@code include:} for a key the file does not set), and a split's rows.
 */
final class FixtureTaskFiles {

    private static final JsonMapper JSON = new JsonMapper();

    private FixtureTaskFiles() {}

    /** {@code shared/fixtures/lm_eval}, found from the working directory upwards ({@link SharedFixtures}). */
    static Path root() {
        return SharedFixtures.root();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> filterList(String taskFile) {
        return (List<Map<String, Object>>) key(taskFile, "filter_list");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> metricList(String taskFile) {
        return (List<Map<String, Object>>) key(taskFile, "metric_list");
    }

    /** The rows of {@code <dataset>/<config>/<split>.jsonl}, e.g. {@code openai/gsm8k/main/test}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(String split) {
        try {
            return Files.readAllLines(root().resolve(split + ".jsonl")).stream()
                    .filter(line -> !line.isBlank())
                    .map(line -> (Map<String, Object>) JSON.readValue(line, Map.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A task's value for {@code key}: its own, else its {@code include}'s (relative to its directory). */
    private static Object key(String taskFile, String key) {
        Path file = root().resolve("tasks").resolve(taskFile);
        Map<String, Object> yaml = read(file);
        if (yaml.containsKey(key)) {
            return yaml.get(key);
        }
        if (yaml.get("include") instanceof String include) {
            return key(
                    root().resolve("tasks")
                            .relativize(file.resolveSibling(include))
                            .toString(),
                    key);
        }
        return null;
    }

    private static Map<String, Object> read(Path file) {
        try {
            return new Yaml(new TaskConstructor()).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML with lm-eval's {@code !function} tag, as {@link FunctionRef}. */
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
