package ai.assay.core.lmeval.taskfiles;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.reference.lmeval.TaskFile;
import ai.assay.reference.lmeval.TaskFileLoader;
import ai.assay.reference.lmeval.testing.RequiresSharedFixtures;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresSharedFixtures
class LmEvalTaskFilesTests {

    private static final String COMMIT = TaskFileManifest.PINNED_COMMIT;
    private static final String REPOSITORY = "/EleutherAI/lm-evaluation-harness";
    private static final String GSM8K_COT = "gsm8k/gsm8k-cot.yaml";
    private static final String BBH_SUBTASK = "bbh/cot_fewshot/boolean_expressions.yaml";
    private static final String BBH_TEMPLATE = "bbh/cot_fewshot/_cot_fewshot_template_yaml";
    private static final int RETRIES = 2;

    @TempDir
    Path temp;

    private WireMockServer github;

    @BeforeEach
    void start() {
        github = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        github.start();
    }

    @AfterEach
    void stop() {
        github.stop();
    }

    private static String url(String path) {
        return REPOSITORY + "/" + COMMIT + "/lm_eval/tasks/" + path;
    }

    /**
     * Serves every file of the manifest that the fixtures hold as the raw file host does: the verbatim copies
     * (MBPP's utils.py, which holds exemplars, is not among them).
     */
    private void serveTheFixtures() {
        for (String path : TaskFileManifest.pinned().files().keySet()) {
            if (!java.nio.file.Files.isRegularFile(LmEvalTaskFixtures.root().resolve(path))) {
                continue;
            }
            github.stubFor(get(urlEqualTo(url(path)))
                    .willReturn(aResponse().withStatus(200).withBody(LmEvalTaskFixtures.bytes(path))));
        }
    }

    private LmEvalTaskFilesProperties properties(Path tasksDir, boolean offline) {
        return new LmEvalTaskFilesProperties(
                tasksDir,
                URI.create("http://127.0.0.1:" + github.port() + REPOSITORY),
                COMMIT,
                null,
                null,
                offline,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                RETRIES,
                Duration.ZERO);
    }

    private LmEvalTaskFiles source(Path tasksDir, boolean offline) {
        return new LmEvalTaskFiles(properties(tasksDir, offline), temp.resolve("cache"));
    }

    private Path cached(String path) {
        return temp.resolve("cache").resolve(COMMIT).resolve(path);
    }

    private static byte[] content(TaskFile file) throws IOException {
        try (InputStream in = file.open()) {
            return in.readAllBytes();
        }
    }

    private int requests() {
        return github.getAllServeEvents().size();
    }

    @Test
    void aDownloadIsVerifiedCachedAndThenReadFromTheCacheWithoutAnotherRequest() throws IOException {
        serveTheFixtures();

        LmEvalTaskFile downloaded = source(null, false).file(GSM8K_COT);
        LmEvalTaskFile again = source(null, false).file(GSM8K_COT);

        assertThat(downloaded.origin()).isEqualTo(TaskFileOrigin.DOWNLOAD);
        assertThat(downloaded.path()).isEqualTo(GSM8K_COT);
        assertThat(content(downloaded)).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
        assertThat(downloaded.sha256())
                .isEqualTo(TaskFileManifest.pinned().sha256(GSM8K_COT).orElseThrow());
        assertThat(Files.readAllBytes(cached(GSM8K_COT))).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
        assertThat(again.origin()).isEqualTo(TaskFileOrigin.CACHE);
        assertThat(again.description()).isEqualTo(cached(GSM8K_COT).toString());
        assertThat(content(again)).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
        github.verify(1, getRequestedFor(urlEqualTo(url(GSM8K_COT))));
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void aDownloadWhoseChecksumIsNotTheManifestsIsRefusedAndNothingIsCached() throws IOException {
        byte[] tampered = (new String(LmEvalTaskFixtures.bytes(GSM8K_COT), StandardCharsets.UTF_8) + "\n# edited\n")
                .getBytes(StandardCharsets.UTF_8);
        github.stubFor(get(urlEqualTo(url(GSM8K_COT))).willReturn(aResponse().withBody(tampered)));
        String expected = TaskFileManifest.pinned().sha256(GSM8K_COT).orElseThrow();

        assertThatThrownBy(() -> source(null, false).file(GSM8K_COT))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining(GSM8K_COT)
                .hasMessageContaining(expected)
                .hasMessageContaining(Sha256.of(tampered))
                .hasMessageContaining("nothing was cached");

        assertThat(cached(GSM8K_COT)).doesNotExist();
        assertThat(filesUnder(temp.resolve("cache"))).isEmpty();
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void aServiceUnavailableAnswerIsRetriedAndTheNextAnswerUsed() throws IOException {
        github.stubFor(get(urlEqualTo(url(GSM8K_COT)))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        github.stubFor(get(urlEqualTo(url(GSM8K_COT)))
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withBody(LmEvalTaskFixtures.bytes(GSM8K_COT))));

        LmEvalTaskFile file = source(null, false).file(GSM8K_COT);

        assertThat(file.origin()).isEqualTo(TaskFileOrigin.DOWNLOAD);
        assertThat(content(file)).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
        github.verify(2, getRequestedFor(urlEqualTo(url(GSM8K_COT))));
    }

    @Test
    void spentRetriesNameTheFileAndTheAttempts() {
        github.stubFor(get(urlEqualTo(url(GSM8K_COT))).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> source(null, false).file(GSM8K_COT))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining(GSM8K_COT)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("(%d attempts)".formatted(RETRIES + 1))
                .hasMessageContaining("assay.lmeval.tasks-dir");
        github.verify(RETRIES + 1, getRequestedFor(urlEqualTo(url(GSM8K_COT))));
    }

    @Test
    void aMissingFileIsNotRetried() {
        github.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> source(null, false).file(GSM8K_COT))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("assay.lmeval.commit " + COMMIT);
        github.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void offlineTheTasksDirectoryIsRead() throws IOException {
        LmEvalTaskFiles source = source(LmEvalTaskFixtures.root(), true);

        List<LmEvalTaskFile> bbh = source.filesOf("bbh_cot_fewshot");

        assertThat(bbh).hasSize(28).allSatisfy(file -> assertThat(file.origin()).isEqualTo(TaskFileOrigin.TASKS_DIR));
        LmEvalTaskFile template = source.file(BBH_SUBTASK).relative("_cot_fewshot_template_yaml");
        assertThat(template.path()).isEqualTo(BBH_TEMPLATE);
        assertThat(template.origin()).isEqualTo(TaskFileOrigin.TASKS_DIR);
        assertThat(content(template)).isEqualTo(LmEvalTaskFixtures.bytes(BBH_TEMPLATE));
        assertThat(requests()).isZero();
    }

    @Test
    void severalNamesGiveEachFileOnceAndAnUnknownNameIsRefused() {
        LmEvalTaskFiles source = source(LmEvalTaskFixtures.root(), true);

        List<LmEvalTaskFile> files =
                source.filesOf(List.of("bbh_cot_zeroshot", "bbh_cot_zeroshot_word_sorting", "gsm8k_cot"));

        assertThat(files)
                .hasSize(29)
                .extracting(LmEvalTaskFile::path)
                .doesNotHaveDuplicates()
                .contains(GSM8K_COT);
        assertThatThrownBy(() -> source.filesOf("gsm8k_cot_llama"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no task or group 'gsm8k_cot_llama'");
    }

    @Test
    void offlineAVerifiedCacheIsRead() throws IOException {
        serveTheFixtures();
        source(null, false).file(GSM8K_COT);

        LmEvalTaskFile file = source(null, true).file(GSM8K_COT);

        assertThat(file.origin()).isEqualTo(TaskFileOrigin.CACHE);
        assertThat(content(file)).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void offlineAFileInNeitherTheTasksDirectoryNorTheCacheIsAProblemNamingItAndTheSettings() {
        serveTheFixtures();
        Path emptyTasksDir = temp.resolve("tasks");

        assertThatThrownBy(() -> source(emptyTasksDir, true).file(GSM8K_COT))
                .isInstanceOf(TaskFileUnavailableException.class)
                .satisfies(e ->
                        assertThat(((TaskFileUnavailableException) e).path()).isEqualTo(GSM8K_COT))
                .hasMessageContaining(GSM8K_COT)
                .hasMessageContaining(COMMIT)
                .hasMessageContaining("assay.lmeval.tasks-dir (" + emptyTasksDir.resolve(GSM8K_COT) + ")")
                .hasMessageContaining(cached(GSM8K_COT).toString())
                .hasMessageContaining("assay.lmeval.offline=true")
                .hasMessageContaining("assay.lmeval.cache-dir");
        assertThatThrownBy(() -> source(null, true).file(GSM8K_COT))
                .hasMessageContaining("assay.lmeval.tasks-dir (not set)");
        assertThat(requests()).isZero();
    }

    @Test
    void theTasksDirectoryOverridesTheCacheAndTheRepository() throws IOException {
        serveTheFixtures();
        source(null, false).file(GSM8K_COT);
        Path tasksDir = temp.resolve("tasks");
        Files.createDirectories(tasksDir.resolve("gsm8k"));
        byte[] edited = "task: gsm8k_cot\nnum_fewshot: 2\n".getBytes(StandardCharsets.UTF_8);
        Files.write(tasksDir.resolve(GSM8K_COT), edited);

        LmEvalTaskFile file = source(tasksDir, false).file(GSM8K_COT);

        assertThat(file.origin()).isEqualTo(TaskFileOrigin.TASKS_DIR);
        assertThat(file.description()).isEqualTo(tasksDir.resolve(GSM8K_COT).toString());
        assertThat(content(file)).isEqualTo(edited);
        assertThat(requests()).isEqualTo(1);
    }

    @Test
    void anIncludeResolvesThroughTheSameSource() throws IOException {
        serveTheFixtures();
        Path tasksDir = temp.resolve("tasks");
        Files.createDirectories(tasksDir.resolve("bbh/cot_fewshot"));
        Files.write(tasksDir.resolve(BBH_SUBTASK), LmEvalTaskFixtures.bytes(BBH_SUBTASK));

        LmEvalTaskFile subtask = source(tasksDir, false).file(BBH_SUBTASK);
        LmEvalTaskFile template = subtask.relative("_cot_fewshot_template_yaml");
        LmEvalTaskFile viaDots = subtask.relative("../cot_fewshot/./_cot_fewshot_template_yaml");

        assertThat(subtask.origin()).isEqualTo(TaskFileOrigin.TASKS_DIR);
        assertThat(template.path()).isEqualTo(BBH_TEMPLATE);
        assertThat(template.origin()).isEqualTo(TaskFileOrigin.DOWNLOAD);
        assertThat(content(template)).isEqualTo(LmEvalTaskFixtures.bytes(BBH_TEMPLATE));
        assertThat(viaDots.path()).isEqualTo(BBH_TEMPLATE);
        assertThat(viaDots.origin()).isEqualTo(TaskFileOrigin.CACHE);
    }

    @Test
    void anIncludeThatCannotBeHadSaysWhoIncludedIt() throws IOException {
        Path tasksDir = temp.resolve("tasks");
        Files.createDirectories(tasksDir.resolve("bbh/cot_fewshot"));
        Files.write(tasksDir.resolve(BBH_SUBTASK), LmEvalTaskFixtures.bytes(BBH_SUBTASK));
        LmEvalTaskFile subtask = source(tasksDir, true).file(BBH_SUBTASK);

        assertThatThrownBy(() -> subtask.relative("_cot_fewshot_template_yaml"))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining(BBH_TEMPLATE)
                .hasMessageContaining("included by " + BBH_SUBTASK);
    }

    @Test
    void anIncludeThatLeavesTheTaskTreeIsRefused() {
        LmEvalTaskFile subtask = source(LmEvalTaskFixtures.root(), true).file(BBH_SUBTASK);

        assertThatThrownBy(() -> subtask.relative("../../../../etc/hostname"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("leaves lm-eval's task tree");
        assertThatThrownBy(() -> subtask.relative("/etc/hostname"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a path relative to bbh/cot_fewshot");
    }

    @Test
    void theTaskLoaderReadsAGroupThroughTheSource() {
        serveTheFixtures();

        TaskFileLoader.Loaded loaded =
                TaskFileLoader.load(List.of(source(null, false).file("bbh/cot_fewshot/_bbh_cot_fewshot.yaml")));

        assertThat(loaded.groups()).containsOnlyKeys("bbh_cot_fewshot");
        assertThat(loaded.groups().get("bbh_cot_fewshot").members())
                .hasSize(27)
                .contains("bbh_cot_fewshot_boolean_expressions", "bbh_cot_fewshot_word_sorting");
    }

    @Test
    void aFileOutsideTheManifestIsNeverDownloaded() throws IOException {
        github.stubFor(get(anyUrl()).willReturn(aResponse().withBody("task: arc_easy\n")));

        assertThatThrownBy(() -> source(null, false).file("arc/arc_easy.yaml"))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining("arc/arc_easy.yaml is not in the manifest of commit " + COMMIT)
                .hasMessageContaining("assay.lmeval.tasks-dir");
        assertThat(requests()).isZero();

        Path tasksDir = temp.resolve("tasks");
        Files.createDirectories(tasksDir.resolve("arc"));
        Files.writeString(tasksDir.resolve("arc/arc_easy.yaml"), "task: arc_easy\n");
        assertThat(source(tasksDir, false).file("arc/arc_easy.yaml").origin()).isEqualTo(TaskFileOrigin.TASKS_DIR);
    }

    @Test
    void aCorruptCachedCopyIsDownloadedAgainOnlineAndRefusedOffline() throws IOException {
        serveTheFixtures();
        Files.createDirectories(cached(GSM8K_COT).getParent());
        Files.writeString(cached(GSM8K_COT), "task: gsm8k_cot\n");

        assertThatThrownBy(() -> source(null, true).file(GSM8K_COT))
                .isInstanceOf(TaskFileUnavailableException.class)
                .hasMessageContaining("the cached copy " + cached(GSM8K_COT))
                .hasMessageContaining(
                        TaskFileManifest.pinned().sha256(GSM8K_COT).orElseThrow());
        assertThat(requests()).isZero();

        LmEvalTaskFile file = source(null, false).file(GSM8K_COT);

        assertThat(file.origin()).isEqualTo(TaskFileOrigin.DOWNLOAD);
        assertThat(Files.readAllBytes(cached(GSM8K_COT))).isEqualTo(LmEvalTaskFixtures.bytes(GSM8K_COT));
    }

    @Test
    void aPathOutsideTheTaskTreeIsRefusedBeforeAnythingIsRead() {
        LmEvalTaskFiles source = source(LmEvalTaskFixtures.root(), false);

        for (String path : List.of("../gsm8k/gsm8k.yaml", "/etc/hostname", "gsm8k//gsm8k.yaml", "gsm8k\\gsm8k.yaml")) {
            assertThatThrownBy(() -> source.file(path)).as(path).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(requests()).isZero();
    }

    @Test
    void anotherCommitNeedsItsOwnManifest() throws IOException {
        String other = "0123456789abcdef0123456789abcdef01234567";
        LmEvalTaskFilesProperties withoutManifest =
                new LmEvalTaskFilesProperties(null, null, other, null, null, false, null, null, RETRIES, Duration.ZERO);

        assertThatThrownBy(() -> new LmEvalTaskFiles(withoutManifest, temp.resolve("cache")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("assay.lmeval.commit is " + other)
                .hasMessageContaining("assay.lmeval.manifest");

        Path manifest = temp.resolve("manifest.json");
        String sha256 = Sha256.of(LmEvalTaskFixtures.bytes(GSM8K_COT));
        Files.writeString(manifest, """
                {"commit": "%s", "files": {"%s": "%s"}, "tasks": {"gsm8k_cot": ["%s"]}}""".formatted(other, GSM8K_COT, sha256, GSM8K_COT));
        String otherUrl = REPOSITORY + "/" + other + "/lm_eval/tasks/" + GSM8K_COT;
        github.stubFor(get(urlEqualTo(otherUrl)).willReturn(aResponse().withBody(LmEvalTaskFixtures.bytes(GSM8K_COT))));
        LmEvalTaskFiles source = new LmEvalTaskFiles(
                new LmEvalTaskFilesProperties(
                        null,
                        URI.create("http://127.0.0.1:" + github.port() + REPOSITORY),
                        other,
                        manifest,
                        null,
                        false,
                        null,
                        null,
                        RETRIES,
                        Duration.ZERO),
                temp.resolve("cache"));

        assertThat(source.filesOf("gsm8k_cot"))
                .singleElement()
                .satisfies(file -> assertThat(file.origin()).isEqualTo(TaskFileOrigin.DOWNLOAD));
        assertThat(temp.resolve("cache").resolve(other).resolve(GSM8K_COT)).exists();
        github.verify(1, getRequestedFor(urlEqualTo(otherUrl)));
    }

    private static List<Path> filesUnder(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
