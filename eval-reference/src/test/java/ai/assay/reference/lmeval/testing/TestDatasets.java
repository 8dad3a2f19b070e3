package ai.assay.reference.lmeval.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark rows shipped with eval-reference's tests (real rows of the real splits, except ToxiGen's, see
 * {@code lmeval/datasets/README.md}), written out as an {@code assay.datasets.dir} directory. Other modules get it
 * through eval-reference's test-jar.
 */
public final class TestDatasets {

    private static final String ROOT = "/lmeval/datasets/";

    private TestDatasets() {}

    /** The relative paths of the files, e.g. {@code allenai/ai2_arc/ARC-Easy/test.jsonl}. */
    public static List<String> files() {
        return read("FILES").lines().filter(line -> !line.isBlank()).toList();
    }

    /** Copies every file under {@code directory}, keeping the layout, and returns the directory. */
    public static Path writeTo(Path directory) {
        for (String file : files()) {
            Path target = directory.resolve(file);
            try (InputStream in = open(file)) {
                Files.createDirectories(target.getParent());
                Files.copy(in, target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    public static String read(String file) {
        try (InputStream in = open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = TestDatasets.class.getResourceAsStream(ROOT + file);
        if (in == null) {
            throw new IllegalStateException("no test resource " + ROOT + file);
        }
        return in;
    }
}
