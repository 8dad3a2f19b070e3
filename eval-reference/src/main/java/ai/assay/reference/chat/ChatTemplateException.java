package ai.assay.reference.chat;

/**
 * A chat template that cannot be compiled or rendered.
 *
 * <p>{@link #raisedByTemplate()} tells apart the template's own {@code raise_exception(...)} (for example Gemma
 * rejecting a system message, which a caller may answer by folding the system message into the first user turn,
 * as lm-evaluation-harness does) from a template that is broken or uses something the renderer lacks.
 */
public class ChatTemplateException extends RuntimeException {

    private final boolean raisedByTemplate;

    public ChatTemplateException(String message, boolean raisedByTemplate) {
        super(message);
        this.raisedByTemplate = raisedByTemplate;
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
        this.raisedByTemplate = false;
    }

    /** Whether the template itself called {@code raise_exception}; the message is then the template's. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
