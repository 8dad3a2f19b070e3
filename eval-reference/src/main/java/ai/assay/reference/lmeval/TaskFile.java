package ai.assay.reference.lmeval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One lm-eval task file, wherever it is stored: {@link TaskFileLoader} reads files in the order of their
 * {@link #path()}s, resolves {@code include:} against the including file and names a task's {@code !function}s by
 * the directory its file lies in.
 */
public interface TaskFile {

    /** Where the file lies in the task tree, {@code /}-separated (for example {@code arc/arc_easy.yaml}). */
    String path();

    /** Where it was read, for error messages. */
    String description();

    InputStream open() throws IOException;

    /** The file an {@code include:} of this one names (a path relative to this file's directory). */
    TaskFile relative(String name) throws IOException;

    /** The directory part of {@link #path()}, empty at the root. */
    default String directory() {
        int slash = path().lastIndexOf('/');
        return slash < 0 ? "" : path().substring(0, slash);
    }

    /** Every {@code .yaml} file under {@code root}, a task tree on disk. */
    static List<TaskFile> under(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .map(file -> (TaskFile) new OnDisk(root, file))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lm-eval task files under " + root, e);
        }
    }

    /** A task file in a task tree on disk. */
    record OnDisk(Path root, Path file) implements TaskFile {

        @Override
        public String path() {
            return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        }

        @Override
        public String description() {
            return file.toString();
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public TaskFile relative(String name) {
            return new OnDisk(root, file.resolveSibling(name).normalize());
        }
    }
}
