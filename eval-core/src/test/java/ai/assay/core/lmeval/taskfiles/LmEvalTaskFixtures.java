package ai.assay.core.lmeval.taskfiles;

import ai.assay.reference.lmeval.testing.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verbatim copies of lm-eval's task files at the pinned commit, {@code shared/fixtures/lm_eval/tasks/} beside
 * the repository (its README says where they come from): found from the working directory upwards, so from the
 * repository root and from a module alike.
 */
final class LmEvalTaskFixtures {

    private LmEvalTaskFixtures() {}

    static Path root() {
        return SharedFixtures.tasks();
    }

    static byte[] bytes(String path) {
        try {
            return Files.readAllBytes(root().resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
