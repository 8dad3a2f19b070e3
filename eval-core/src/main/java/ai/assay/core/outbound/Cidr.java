package ai.assay.core.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * A network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a network of one.
 *
 * @param network the network's address bytes (4 or 16)
 * @param prefix  how many leading bits an address must share with it
 */
record Cidr(byte[] network, int prefix) {

    /** The network {@code text} names, or empty when it is not an address literal or CIDR (a host name, then). */
    static Optional<Cidr> parse(String text) {
        String spec = text.strip();
        int slash = spec.indexOf('/');
        String addressPart = slash < 0 ? spec : spec.substring(0, slash);
        if (addressPart.startsWith("[") && addressPart.endsWith("]")) {
            addressPart = addressPart.substring(1, addressPart.length() - 1);
        }
        byte[] bytes = literal(addressPart);
        if (bytes == null) {
            if (slash >= 0) {
                throw new IllegalArgumentException("assay.outbound.allow: '%s' is not a CIDR".formatted(text));
            }
            return Optional.empty();
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(spec.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("assay.outbound.allow: '%s' has a prefix length outside 0..%d"
                        .formatted(text, bytes.length * 8));
            }
        }
        return Optional.of(new Cidr(bytes, prefix));
    }

    /** Whether {@code address} lies in this network (an IPv4 network also holds the IPv6 forms that carry one). */
    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length && candidate.length == 16) {
            InetAddress embedded = AddressClass.embeddedIpv4(candidate);
            if (embedded == null) {
                return false;
            }
            candidate = embedded.getAddress();
        }
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    private static byte[] literal(String text) {
        if (text.contains(":")) {
            try {
                return InetAddress.getByName(text).getAddress(); // an IPv6 literal: parsed, never looked up
            } catch (UnknownHostException | IllegalArgumentException e) {
                return null;
            }
        }
        return Ipv4Literal.parse(text).map(InetAddress::getAddress).orElse(null);
    }
}
