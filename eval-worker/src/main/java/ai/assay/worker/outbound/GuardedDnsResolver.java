package ai.assay.worker.outbound;

import ai.assay.core.outbound.OutboundDecision;
import ai.assay.core.outbound.OutboundGuard;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Name resolution that is the outbound guard's decision: the client connects to the addresses the guard checked and
 * to nothing else. Resolving and checking in one step is what closes DNS rebinding, where a name passes the check
 * and then resolves to the loopback for the connection itself.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final OutboundGuard guard;

    GuardedDnsResolver(OutboundGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        OutboundDecision decision = guard.checkHost(host);
        if (decision.refused()) {
            throw new RefusedAddressException(decision.reason());
        }
        if (!decision.allowed()) {
            throw new UnknownHostException(decision.reason());
        }
        return decision.addresses().toArray(InetAddress[]::new);
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        return Arrays.stream(resolve(host))
                .map(address -> new InetSocketAddress(address, port))
                .toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host; // only Kerberos/SPNEGO asks, which these clients never use; no second lookup
    }

    /** The guard refused the host (an address it resolves to is not one to call); the message is the guard's reason. */
    static final class RefusedAddressException extends UnknownHostException {

        RefusedAddressException(String reason) {
            super(reason);
        }
    }
}
