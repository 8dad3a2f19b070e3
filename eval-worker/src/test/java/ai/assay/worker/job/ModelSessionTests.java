package ai.assay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.assay.core.evaluation.ModelRef;
import ai.assay.core.outbound.FileRoots;
import ai.assay.core.outbound.ModelRootsProperties;
import ai.assay.worker.engine.ModelLoadException;
import ai.assay.worker.engine.ModelLoader;
import ai.assay.worker.engine.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker opens a model directory only under the roots, whatever the stored job names, and loads it on the
 * device of the job's slot.
 */
class ModelSessionTests {

    /** Never used: the loader here loads no model, so there is no build to record. */
    private static final ModelBuildRecorder NO_BUILDS = null;

    @TempDir
    Path dir;

    private final List<Path> loaded = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();
    private final ModelLoader loader = (directory, template, placement) -> {
        loaded.add(directory);
        placements.add(placement);
        throw new ModelLoadException("no model files in " + directory);
    };

    @Test
    void aModelOutsideTheRootsIsNeverOpened() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.createSymbolicLink(root.resolve("escape"), secret);
        FileRoots roots = new FileRoots(new ModelRootsProperties(List.of(root)));

        for (Path outside : List.of(secret, root.resolve("escape"), Path.of("/etc"))) {
            ModelSession session = new ModelSession(
                    loader, roots, new ModelRef("m", outside.toUri().toString(), null, null), Placement.CPU, NO_BUILDS);
            assertThatThrownBy(session::get)
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("assay.models.roots");
        }
        assertThat(loaded).isEmpty();
    }

    @Test
    void aModelUnderTheRootsIsHandedToTheLoader() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        Path model = Files.createDirectories(root.resolve("llama"));
        FileRoots roots = new FileRoots(new ModelRootsProperties(List.of(root)));

        Placement secondGpu = Placement.parse("cuda:1");
        ModelSession session = new ModelSession(
                loader, roots, new ModelRef("m", model.toUri().toString(), null, null), secondGpu, NO_BUILDS);

        assertThatThrownBy(session::get).hasMessageContaining("no model files");
        assertThat(loaded).containsExactly(model.toRealPath());
        assertThat(placements).containsExactly(secondGpu);
    }

    @Test
    void anAdapterOutsideTheRootsIsNeverOpened() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        Path model = Files.createDirectories(root.resolve("llama"));
        Path secret = Files.createDirectories(dir.resolve("secret"));
        FileRoots roots = new FileRoots(new ModelRootsProperties(List.of(root)));

        ModelSession session = new ModelSession(
                adapterLoader(),
                roots,
                new ModelRef("m", model.toUri().toString(), null, null)
                        .withAdapter(secret.toUri().toString()),
                Placement.CPU,
                NO_BUILDS);
        assertThatThrownBy(session::get)
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("assay.models.roots");
        assertThat(loaded).isEmpty();
    }

    @Test
    void anAdapterUnderTheRootsIsHandedToTheLoaderWithItsModel() throws Exception {
        Path root = Files.createDirectories(dir.resolve("models"));
        Path model = Files.createDirectories(root.resolve("llama"));
        Path adapter = Files.createDirectories(root.resolve("lora"));
        FileRoots roots = new FileRoots(new ModelRootsProperties(List.of(root)));

        ModelSession session = new ModelSession(
                adapterLoader(),
                roots,
                new ModelRef("m", model.toUri().toString(), null, null)
                        .withAdapter(adapter.toUri().toString()),
                Placement.CPU,
                NO_BUILDS);
        assertThatThrownBy(session::get).hasMessageContaining("no model files");
        assertThat(loaded).containsExactly(model.toRealPath(), adapter.toRealPath());
    }

    /** Records the model and adapter directories it is given, then fails as {@link #loader} does. */
    private ModelLoader adapterLoader() {
        return new ModelLoader() {
            @Override
            public ai.assay.worker.engine.LanguageModel load(
                    Path directory, String chatTemplateOverride, Placement placement) {
                throw new AssertionError("the adapter was dropped");
            }

            @Override
            public ai.assay.worker.engine.LanguageModel load(
                    Path directory,
                    java.util.Optional<Path> adapterDirectory,
                    String chatTemplateOverride,
                    Placement placement) {
                loaded.add(directory);
                adapterDirectory.ifPresent(loaded::add);
                throw new ModelLoadException("no model files in " + directory);
            }
        };
    }
}
