package ai.assay.reference.lmeval.template;

/** A template that cannot be parsed, or fails on a document (an undefined name, a wrong type). */
public class TemplateException extends RuntimeException {

    public TemplateException(String message) {
        super(message);
    }
}
