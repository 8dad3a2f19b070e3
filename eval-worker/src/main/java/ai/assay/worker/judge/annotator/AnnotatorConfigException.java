package ai.assay.worker.judge.annotator;

import ai.assay.worker.judge.JudgeException;

/** An annotator config that cannot be found, read or used; the message names the annotator and what is wrong. */
public class AnnotatorConfigException extends JudgeException {

    public AnnotatorConfigException(String message) {
        super(message);
    }

    public AnnotatorConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
