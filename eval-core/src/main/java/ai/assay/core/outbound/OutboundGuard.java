package ai.assay.core.outbound;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a service may call a URL on a submitter's behalf, so that a callback or an outputs URL cannot
 * be pointed at the cluster's own services (the database, a metadata endpoint at 169.254.169.254, the pod's
 * loopback). Only http and https without user information are called; the host is resolved and every address it
 * resolves to must be public ({@link AddressClass}), or lie in a network, or the host be named, in
 * {@code assay.outbound.allow}. Numeric hosts are read the way {@code inet_aton} reads them ({@link Ipv4Literal}),
 * so {@code 2130706433} is the loopback, whatever its spelling.
 *
 * <p>The API asks at submission. The worker's HTTP clients ask again as their name resolution ({@link #checkHost}),
 * for each connection and each redirect followed, and connect only to the addresses the guard checked, since a name
 * may resolve elsewhere by then (DNS rebinding).
 */
public class OutboundGuard {

    private static final Set<String> SCHEMES = Set.of("http", "https");
    static final String SETTING = "assay.outbound.allow";

    private final List<Cidr> allowedNetworks = new ArrayList<>();
    private final Set<String> allowedHosts;
    private final HostResolver resolver;

    public OutboundGuard(OutboundProperties properties, HostResolver resolver) {
        this.resolver = resolver;
        List<String> hosts = new ArrayList<>();
        for (String entry : properties.allow()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            Optional<Cidr> cidr = Cidr.parse(entry);
            if (cidr.isPresent()) {
                allowedNetworks.add(cidr.get());
            } else {
                hosts.add(normalHost(entry.strip()));
            }
        }
        this.allowedHosts = Set.copyOf(hosts);
    }

    /** Decides about {@code uri}; see {@link OutboundDecision}. */
    public OutboundDecision check(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return OutboundDecision.refused("only http and https URLs are called, not '%s:'".formatted(scheme));
        }
        if (uri.getRawUserInfo() != null) {
            return OutboundDecision.refused(
                    "a URL with user information (user:password@host) is refused: credentials in a URL end up in"
                            + " logs and stored specs");
        }
        String host = uri.getHost() != null ? uri.getHost() : hostOfAuthority(uri.getRawAuthority());
        if (host == null || host.isEmpty()) {
            return OutboundDecision.refused("the URL has no host that can be called");
        }
        return checkHost(host);
    }

    /**
     * Decides about a host about to be connected to, as an HTTP client's name resolution asks: an allowed decision
     * carries the addresses to connect to, so that the connection goes to exactly the addresses checked and a name
     * that resolves elsewhere a moment later (DNS rebinding) cannot slip through. A host allowed by name resolves
     * without the address check.
     */
    public OutboundDecision checkHost(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String name = normalHost(bare);
        List<InetAddress> addresses;
        try {
            addresses = addressesOf(name);
        } catch (UnknownHostException e) {
            return OutboundDecision.unresolved("the host '%s' does not resolve".formatted(host));
        }
        if (addresses.isEmpty()) {
            return OutboundDecision.unresolved("the host '%s' does not resolve".formatted(host));
        }
        if (allowedHosts.contains(name)) {
            return OutboundDecision.allowed(addresses);
        }
        for (InetAddress address : addresses) {
            if (allowedNetworks.stream().anyMatch(network -> network.contains(address))) {
                continue;
            }
            AddressClass kind = AddressClass.of(address);
            if (kind != AddressClass.PUBLIC) {
                String where =
                        name.equals(address.getHostAddress()) ? "is" : "resolves to " + address.getHostAddress() + ",";
                return OutboundDecision.refused(
                        "the host '%s' %s a %s address, which is not called unless %s lists it (a CIDR or the host name)"
                                .formatted(host, where, kind.description(), SETTING));
            }
        }
        return OutboundDecision.allowed(addresses);
    }

    /**
     * The addresses {@code uri} may be called at, for a caller about to connect: anything but an allowed decision
     * (an unresolvable host included) is refused.
     *
     * @throws OutboundRefusedException with the reason
     */
    public List<InetAddress> requireAllowed(URI uri) {
        OutboundDecision decision = check(uri);
        if (!decision.allowed()) {
            throw new OutboundRefusedException(decision.reason());
        }
        return decision.addresses();
    }

    /**
     * The host of an authority that {@link URI} does not read as server-based: it gives no host for spellings such
     * as {@code 0x7f.1} or {@code 127.1.}, which other clients read as addresses.
     */
    private static String hostOfAuthority(String authority) {
        if (authority == null) {
            return null;
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0
                && !authority.startsWith("[")
                && authority.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return authority.substring(0, colon);
        }
        return authority;
    }

    private List<InetAddress> addressesOf(String host) throws UnknownHostException {
        if (host.contains(":")) {
            return List.of(InetAddress.getByName(host)); // an IPv6 literal, never looked up
        }
        Optional<java.net.Inet4Address> numeric = Ipv4Literal.parse(host);
        if (numeric.isPresent()) {
            return List.of(numeric.get());
        }
        return resolver.resolve(host);
    }

    private static String normalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".") && lower.length() > 1) {
            lower = lower.substring(0, lower.length() - 1);
        }
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }
}
