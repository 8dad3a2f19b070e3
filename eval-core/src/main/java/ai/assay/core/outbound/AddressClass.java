package ai.assay.core.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What kind of network an address belongs to, as far as the guard cares: only {@link #PUBLIC} addresses are
 * called without an exception in {@code assay.outbound.allow}. IPv6 forms that carry an IPv4 address (IPv4-mapped
 * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d}, 6to4
 * {@code 2002:aabb:ccdd::}) are classed by the IPv4 address they carry, since that is where the packets end up.
 */
public enum AddressClass {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    LINK_LOCAL("link-local"),
    PRIVATE("private"),
    SHARED("shared (carrier-grade NAT, 100.64.0.0/10)"),
    MULTICAST("multicast"),
    UNSPECIFIED("unspecified"),
    RESERVED("reserved or broadcast");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** The class in words, for problem details and failure messages ("a loopback address"). */
    public String description() {
        return description;
    }

    public static AddressClass of(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            Inet4Address embedded = embeddedIpv4(v6.getAddress());
            return embedded != null ? ofIpv4(embedded.getAddress()) : ofIpv6(v6);
        }
        return ofIpv4(address.getAddress());
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
    static Inet4Address embeddedIpv4(byte[] v6) {
        boolean firstTenZero = Arrays.equals(v6, 0, 10, new byte[10], 0, 10);
        boolean mapped = firstTenZero && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
        boolean compatible = firstTenZero && v6[10] == 0 && v6[11] == 0 && !(v6[12] == 0 && v6[13] == 0 && v6[14] == 0);
        boolean nat64 = v6[0] == 0x00
                && v6[1] == 0x64
                && v6[2] == (byte) 0xff
                && v6[3] == (byte) 0x9b
                && Arrays.equals(v6, 4, 12, new byte[8], 0, 8);
        if (mapped || compatible || nat64) {
            return ipv4(Arrays.copyOfRange(v6, 12, 16));
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return ipv4(Arrays.copyOfRange(v6, 2, 6));
        }
        return null;
    }

    private static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static AddressClass ofIpv4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0) {
            return UNSPECIFIED; // 0.0.0.0/8, "this network": connecting to it reaches the host itself
        }
        if (b0 == 127) {
            return LOOPBACK;
        }
        if (b0 == 169 && b1 == 254) {
            return LINK_LOCAL;
        }
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)) {
            return PRIVATE;
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) {
            return SHARED;
        }
        if (b0 >= 224 && b0 <= 239) {
            return MULTICAST;
        }
        if (b0 >= 240) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(Inet6Address address) {
        byte[] a = address.getAddress();
        if (address.isAnyLocalAddress()) {
            return UNSPECIFIED;
        }
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (address.isMulticastAddress()) {
            return MULTICAST;
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
            return LINK_LOCAL; // fe80::/10
        }
        if ((a[0] & 0xfe) == 0xfc || ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0xc0)) {
            return PRIVATE; // unique local fc00::/7, and the deprecated site-local fec0::/10
        }
        return PUBLIC;
    }
}
