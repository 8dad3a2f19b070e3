package ai.assay.core.lmeval.taskfiles;

/**
 * An lm-eval task file that cannot be had: in neither the tasks directory nor the cache while offline, not in the
 * manifest, refused by the host, a download whose SHA-256 is not the manifest's, or retries spent. The message names
 * the file, where it was looked for and the settings that would help.
 */
public class TaskFileUnavailableException extends RuntimeException {

    private final String path;

    public TaskFileUnavailableException(String path, String message) {
        super(message);
        this.path = path;
    }

    public TaskFileUnavailableException(String path, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The file's path under {@code lm_eval/tasks/}. */
    public String path() {
        return path;
    }
}
