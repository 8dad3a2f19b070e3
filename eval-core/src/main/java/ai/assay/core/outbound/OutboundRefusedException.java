package ai.assay.core.outbound;

/** A call the guard refused (or a file outside the roots); its message says why and never quotes a body. */
public class OutboundRefusedException extends RuntimeException {

    public OutboundRefusedException(String message) {
        super(message);
    }
}
