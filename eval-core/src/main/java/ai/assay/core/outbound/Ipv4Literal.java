package ai.assay.core.outbound;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IPv4 addresses in every spelling that C's {@code inet_aton} accepts: one to four parts, each decimal, octal
 * (leading 0) or hex (0x), the last part filling the remaining bytes, so {@code 2130706433}, {@code 0x7f.1},
 * {@code 017700000001} and {@code 127.1} are all 127.0.0.1. Whatever tool finally connects (a proxy, curl, a
 * library) may read a host that way, so the guard classes a host by the address it spells, not its spelling.
 */
final class Ipv4Literal {

    private Ipv4Literal() {}

    /** The address {@code host} spells, or empty when it is not a numeric IPv4 host (a name, then). */
    static Optional<Inet4Address> parse(String host) {
        if (host.isEmpty() || host.endsWith(".")) {
            return Optional.empty();
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = number(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 0xff) {
                return Optional.empty();
            }
            address = (address << 8) | values[i];
        }
        int lastBytes = 4 - (parts.length - 1);
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * lastBytes))) {
            return Optional.empty();
        }
        address = (address << (8 * lastBytes)) | last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static Long number(String part) {
        if (part.isEmpty() || part.length() > 34) {
            return null;
        }
        int radix = 10;
        String digits = part;
        if (part.length() > 1 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0L; // inet_aton reads a bare "0x" as zero
            }
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), radix) < 0) {
                return null;
            }
        }
        try {
            long value = Long.parseLong(digits, radix);
            return value < 0 || value > 0xffffffffL ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
