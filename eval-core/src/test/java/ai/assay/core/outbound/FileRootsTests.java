package ai.assay.core.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files named in a submission are read only under assay.models.roots, judged by where they really are. */
class FileRootsTests {

    @TempDir
    Path dir;

    private Path models;
    private Path outside;
    private FileRoots roots;

    @BeforeEach
    void layout() throws IOException {
        models = Files.createDirectories(dir.resolve("models"));
        outside = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(outside.resolve("key"), "s3cr3t");
        Files.writeString(Files.createDirectories(models.resolve("m")).resolve("outputs.json"), "[]");
        roots = new FileRoots(new ModelRootsProperties(List.of(models)));
    }

    @Test
    void aFileUnderARootMayBeRead() {
        assertThat(roots.refusal(models.resolve("m/outputs.json"))).isEmpty();
        assertThat(roots.refusal(models.resolve("not-yet-mounted/step-100"))).isEmpty();
        assertThat(roots.refusal(models.resolve("m/./outputs.json"))).isEmpty();
    }

    @Test
    void aPathThatNamesDotDotIsRefusedEvenWhenItStaysInside() {
        assertThat(roots.refusal(models.resolve("m/../m/outputs.json"))).hasValue("the path may not name '..'");
        assertThat(roots.refusal(models.resolve("../secrets/key"))).hasValue("the path may not name '..'");
    }

    @Test
    void aFileOutsideTheRootsIsRefused() {
        assertThat(roots.refusal(Path.of("/etc/passwd")))
                .hasValue("the path lies outside the directories assay.models.roots lists");
        assertThat(roots.refusal(outside.resolve("key"))).isPresent();
        assertThat(roots.refusal(dir.resolve("models-evil/x"))).isPresent();
        assertThat(roots.refusal(Path.of("models/m"))).hasValue("the path must be absolute");
    }

    @Test
    void aSymlinkInsideARootThatLeadsOutIsRefused() throws IOException {
        Files.createSymbolicLink(models.resolve("escape"), outside);
        Files.createSymbolicLink(models.resolve("m/key.json"), outside.resolve("key"));

        assertThat(roots.refusal(models.resolve("escape/key")))
                .hasValue("the path lies outside the directories assay.models.roots lists once its symbolic links"
                        + " are resolved");
        assertThat(roots.refusal(models.resolve("escape/not-there"))).isPresent();
        assertThat(roots.refusal(models.resolve("m/key.json"))).isPresent();
        assertThatThrownBy(() -> roots.requireReadable(models.resolve("m/key.json")))
                .isInstanceOf(OutboundRefusedException.class)
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aSymlinkThatStaysInsideIsReadWhereItLeads() throws IOException {
        Files.createSymbolicLink(models.resolve("latest"), models.resolve("m"));

        assertThat(roots.requireReadable(models.resolve("latest/outputs.json")))
                .isEqualTo(models.toRealPath().resolve("m/outputs.json"));
    }

    @Test
    void noRootsMeansNoFileAtAll() {
        FileRoots none = new FileRoots(new ModelRootsProperties(List.of()));

        assertThat(none.refusal(models.resolve("m/outputs.json")))
                .hasValue("file access is off: assay.models.roots lists no directory to read from");
    }
}
