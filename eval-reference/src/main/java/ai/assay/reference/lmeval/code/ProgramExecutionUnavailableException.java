package ai.assay.reference.lmeval.code;

/**
 * Programs cannot be run safely here, so none was run: code execution is not enabled for this deployment, or the
 * sandbox cannot be set up. The message says which and what to do.
 */
public class ProgramExecutionUnavailableException extends RuntimeException {

    public ProgramExecutionUnavailableException(String message) {
        super(message);
    }

    public ProgramExecutionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
