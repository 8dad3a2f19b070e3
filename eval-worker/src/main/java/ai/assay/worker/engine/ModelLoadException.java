package ai.assay.worker.engine;

/** A model directory that cannot be loaded; the message names the file or the limit. */
public class ModelLoadException extends RuntimeException {

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
