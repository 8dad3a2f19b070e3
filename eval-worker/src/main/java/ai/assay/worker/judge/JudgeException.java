package ai.assay.worker.judge;

/**
 * The judge cannot be used or gave up: bad configuration, a rejected key, an annotator that cannot be loaded, or a
 * judge API that kept failing. The message is meant for the task's error and never contains the API key.
 */
public class JudgeException extends RuntimeException {

    public JudgeException(String message) {
        super(message);
    }

    public JudgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
