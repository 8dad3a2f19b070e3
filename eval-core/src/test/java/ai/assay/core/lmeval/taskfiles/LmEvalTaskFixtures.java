package ai.assay.core.lmeval.taskfiles;

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

    private static final Path RELATIVE = Path.of("shared", "fixtures", "lm_eval", "tasks");

    private LmEvalTaskFixtures() {}

    static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no %s in %s or a directory above it: the lm-eval task fixtures are missing"
                .formatted(RELATIVE, start));
    }

    static byte[] bytes(String path) {
        try {
            return Files.readAllBytes(root().resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
