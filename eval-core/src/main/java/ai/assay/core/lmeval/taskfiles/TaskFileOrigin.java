package ai.assay.core.lmeval.taskfiles;

/** Where an lm-eval task file was read. */
public enum TaskFileOrigin {
    /** {@code assay.lmeval.tasks-dir}, taken as it is. */
    TASKS_DIR,
    /** The download cache, its SHA-256 verified against the manifest. */
    CACHE,
    /** Downloaded just now, verified, then cached. */
    DOWNLOAD
}
