package ai.assay.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Name resolution for the guard, an interface so that tests can make a name resolve to the loopback without DNS.
 * The guard checks every address a name resolves to, since a client may connect to any of them.
 */
@FunctionalInterface
public interface HostResolver {

    /** The system resolver ({@link InetAddress#getAllByName}), the one the JDK's HTTP client connects with. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * Every address {@code host} resolves to.
     *
     * @throws UnknownHostException when it resolves to none
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
