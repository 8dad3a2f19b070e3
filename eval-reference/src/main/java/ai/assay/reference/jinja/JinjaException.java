package ai.assay.reference.jinja;

/** A template that cannot be compiled, or that fails while rendering. */
public class JinjaException extends RuntimeException {

    /** What went wrong, for callers that answer each differently. */
    public enum Kind {
        /** The source is not a well-formed template (an unclosed tag, comment, string or block). */
        MALFORMED,
        /** The template names a filter or test the dialect does not have. */
        UNSUPPORTED,
        /** lm-eval's StrictUndefined: an undefined name or attribute was used. */
        UNDEFINED,
        /** The template called transformers' {@code raise_exception(message)}; the message is the template's. */
        RAISED,
        /** Anything else the engine reports (a type error, an unknown function, a failed include). */
        FAILED
    }

    private final Kind kind;

    public JinjaException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public JinjaException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
