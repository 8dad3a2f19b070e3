package ai.assay.core.lmeval.taskfiles;

import ai.assay.reference.lmeval.TaskFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One lm-eval task file as {@link LmEvalTaskFiles} found it: its bytes were read (and, from the cache or a download,
 * verified) when it was found, so {@link #open()} reads exactly what was verified. {@link #relative} resolves an
 * {@code include:} against this file's directory, as lm-eval does, and finds that file through the same source: a
 * subtask read from the tasks directory includes the template there, else from the cache or the repository.
 */
public final class LmEvalTaskFile implements TaskFile {

    private final LmEvalTaskFiles source;
    private final String path;
    private final TaskFileOrigin origin;
    private final String description;
    private final byte[] content;
    private final String sha256;

    LmEvalTaskFile(LmEvalTaskFiles source, String path, TaskFileOrigin origin, String description, byte[] content) {
        this.source = source;
        this.path = path;
        this.origin = origin;
        this.description = description;
        this.content = content.clone();
        this.sha256 = Sha256.of(content);
    }

    @Override
    public String path() {
        return path;
    }

    /** The local file it was read from, or the URL it was downloaded from (with where it is cached). */
    @Override
    public String description() {
        return description;
    }

    public TaskFileOrigin origin() {
        return origin;
    }

    /** The SHA-256 of what {@link #open()} reads. */
    public String sha256() {
        return sha256;
    }

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(content);
    }

    /**
     * @throws IOException                  when {@code name} is absolute or leaves the task tree
     * @throws TaskFileUnavailableException when the included file cannot be had; the message says who included it
     */
    @Override
    public LmEvalTaskFile relative(String name) throws IOException {
        String included;
        try {
            included = TaskFilePaths.resolve(directory(), name);
        } catch (IllegalArgumentException e) {
            throw new IOException("%s includes %s: %s".formatted(description, name, e.getMessage()), e);
        }
        try {
            return source.file(included);
        } catch (TaskFileUnavailableException e) {
            throw new TaskFileUnavailableException(e.path(), "%s (included by %s)".formatted(e.getMessage(), path), e);
        }
    }

    @Override
    public String toString() {
        return path + " (" + description + ")";
    }
}
