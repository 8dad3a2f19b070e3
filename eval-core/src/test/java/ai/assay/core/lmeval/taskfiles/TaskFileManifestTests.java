package ai.assay.core.lmeval.taskfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

@RequiresSharedFixtures
class TaskFileManifestTests {

    private static final TaskFileManifest PINNED = TaskFileManifest.pinned();

    @TempDir
    Path temp;

    @Test
    void theShippedManifestIsForThePinnedCommit() {
        assertThat(PINNED.commit()).isEqualTo("4e7e0d47f33bc71070c1d38394bafbb52b117163");
        assertThat(new LmEvalTaskFilesProperties(null, null, null, null, null, false, null, null, 0, null).commit())
                .isEqualTo(PINNED.commit());
    }

    /**
     * MBPP's {@code utils.py} holds its few-shot exemplars, so the fixtures do not carry it; its checksum was
     * computed from the file at the pinned commit and is checked when the file is downloaded.
     */
    private static final Set<String> NOT_IN_FIXTURES = Set.of("mbpp/utils.py");

    @Test
    void everyFileHasTheChecksumOfItsVerbatimCopyAtThePinnedCommit() {
        assertThat(PINNED.files()).hasSize(70).containsKeys(NOT_IN_FIXTURES.toArray(String[]::new));
        PINNED.files().forEach((path, sha256) -> {
            if (!NOT_IN_FIXTURES.contains(path)) {
                assertThat(Sha256.of(LmEvalTaskFixtures.bytes(path))).as(path).isEqualTo(sha256);
            }
        });
    }

    @Test
    void everyGenerationTaskAndGroupHasItsFiles() {
        assertThat(PINNED.names())
                .contains(
                        "gsm8k",
                        "gsm8k_cot",
                        "gsm8k_cot_zeroshot",
                        "gsm8k_cot_self_consistency",
                        "bbh_cot_fewshot",
                        "bbh_cot_zeroshot",
                        "ifeval",
                        "humaneval",
                        "humaneval_plus",
                        "mbpp",
                        "mbpp_plus");
        assertThat(PINNED.tasks().get("bbh_cot_fewshot")).hasSize(28);
        assertThat(PINNED.tasks().get("bbh_cot_zeroshot")).hasSize(28);
        assertThat(PINNED.names().stream().filter(name -> name.startsWith("bbh_cot_fewshot_")))
                .hasSize(27);
        assertThat(PINNED.names().stream().filter(name -> name.startsWith("bbh_cot_zeroshot_")))
                .hasSize(27);
    }

    /** A task's one file defines it; a group's files are its own, which lists its subtasks, and theirs. */
    @Test
    void eachNameIsDefinedByTheFilesListedForIt() {
        PINNED.tasks().forEach((name, paths) -> {
            List<Map<String, Object>> documents =
                    paths.stream().map(TaskFileManifestTests::yaml).toList();
            List<Map<String, Object>> groups = documents.stream()
                    .filter(document -> name.equals(document.get("group")))
                    .toList();
            if (groups.isEmpty()) {
                assertThat(documents)
                        .as(name)
                        .singleElement()
                        .satisfies(document -> assertThat(document.get("task")).isEqualTo(name));
            } else {
                assertThat(groups).as(name).hasSize(1);
                Set<Object> subtasks = documents.stream()
                        .filter(document -> !name.equals(document.get("group")))
                        .map(document -> document.get("task"))
                        .collect(Collectors.toSet());
                assertThat(subtasks).as(name).isEqualTo(new HashSet<>((List<?>)
                        groups.get(0).get("task")));
            }
        });
    }

    @Test
    void everyFileAManifestFileIncludesIsInTheManifest() {
        List<String> includes = new ArrayList<>();
        for (String path : PINNED.files().keySet()) {
            if (NOT_IN_FIXTURES.contains(path)) {
                continue; // Python, not YAML: it includes nothing
            }
            Object include = yaml(path).get("include");
            if (include != null) {
                String directory = path.substring(0, path.lastIndexOf('/'));
                includes.add(TaskFilePaths.resolve(directory, String.valueOf(include)));
            }
        }
        assertThat(includes)
                .contains(
                        "gsm8k/gsm8k-cot.yaml",
                        "humaneval/humaneval.yaml",
                        "mbpp/mbpp.yaml",
                        "bbh/cot_fewshot/_cot_fewshot_template_yaml",
                        "bbh/cot_zeroshot/_cot_zeroshot_template_yaml");
        assertThat(PINNED.files().keySet()).containsAll(includes);
    }

    @Test
    void aManifestFileIsReadWithItsNamesAndChecksums() throws IOException {
        Path file = temp.resolve("manifest.json");
        String sha256 = "a".repeat(64);
        Files.writeString(file, """
                {"commit": "%s", "files": {"ifeval/ifeval.yaml": "%s"}, "tasks": {"ifeval": ["ifeval/ifeval.yaml"]}}""".formatted("b".repeat(40), sha256));

        TaskFileManifest manifest = TaskFileManifest.read(file);

        assertThat(manifest.commit()).isEqualTo("b".repeat(40));
        assertThat(manifest.sha256("ifeval/ifeval.yaml")).contains(sha256);
        assertThat(manifest.tasks()).containsEntry("ifeval", List.of("ifeval/ifeval.yaml"));
    }

    @Test
    void aManifestListingAFileWithoutAChecksumIsRefused() throws IOException {
        Path file = temp.resolve("manifest.json");
        Files.writeString(file, """
                {"commit": "%s", "files": {}, "tasks": {"ifeval": ["ifeval/ifeval.yaml"]}}""".formatted("b".repeat(40)));

        assertThatThrownBy(() -> TaskFileManifest.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("ifeval lists ifeval/ifeval.yaml but the manifest has no checksum for it");
    }

    @Test
    void aManifestWithAPathOutsideTheTreeOrABadChecksumIsRefused() {
        assertThatThrownBy(() -> new TaskFileManifest("b".repeat(40), Map.of("../x.yaml", "a".repeat(64)), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskFileManifest("b".repeat(40), Map.of("x.yaml", "ABC"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.yaml");
        assertThatThrownBy(() -> new TaskFileManifest("main", Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("main");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String path) {
        try (InputStream in = Files.newInputStream(LmEvalTaskFixtures.root().resolve(path))) {
            return (Map<String, Object>) new Yaml(new FunctionTags()).load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads lm-eval's {@code !function} tag as its text: these tests look at names and includes only. */
    private static final class FunctionTags extends SafeConstructor {

        FunctionTags() {
            super(new LoaderOptions());
            this.yamlConstructors.put(new Tag("!function"), new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    return ((ScalarNode) node).getValue();
                }
            });
        }
    }
}
