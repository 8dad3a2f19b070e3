package ai.assay.core.outbound;

import java.net.InetAddress;
import java.util.List;

/**
 * The guard's answer about one URL.
 *
 * @param verdict   allowed, refused, or not resolvable here
 * @param reason    why it is refused or unresolved, a sentence naming the address class and the setting that would
 *                  allow it; null when allowed
 * @param addresses the addresses checked, the ones a client connects to (empty when refused or unresolved)
 */
public record OutboundDecision(Verdict verdict, String reason, List<InetAddress> addresses) {

    public enum Verdict {
        ALLOWED,
        REFUSED,
        /** The host name resolves to nothing here; a caller that must connect treats this as refused. */
        UNRESOLVED
    }

    public OutboundDecision {
        addresses = List.copyOf(addresses);
    }

    static OutboundDecision allowed(List<InetAddress> addresses) {
        return new OutboundDecision(Verdict.ALLOWED, null, addresses);
    }

    static OutboundDecision refused(String reason) {
        return new OutboundDecision(Verdict.REFUSED, reason, List.of());
    }

    static OutboundDecision unresolved(String reason) {
        return new OutboundDecision(Verdict.UNRESOLVED, reason, List.of());
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOWED;
    }

    public boolean refused() {
        return verdict == Verdict.REFUSED;
    }
}
