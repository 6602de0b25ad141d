package dev.spillway.gateway.safety;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * An IPv4 or IPv6 address block, {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address
 * ({@code 203.0.113.7}, a /32 or /128). Only literals are accepted, so parsing never asks DNS. An
 * IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}) matches the IPv4 block. Immutable.
 */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix must be 0-" + network.length * 8 + ", was " + prefix);
        }
    }

    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] address = literal(slash < 0 ? t : t.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
        int prefix = address.length * 8;
        if (slash >= 0) {
            String bits = t.substring(slash + 1);
            if (!bits.matches("[0-9]{1,3}")) throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            prefix = Integer.parseInt(bits);
        }
        return new Cidr(address, prefix);
    }

    /** The bytes of an IP literal, or empty for anything else (host names included: no DNS). */
    static Optional<byte[]> literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        if (t.isEmpty() || !t.matches("[0-9A-Fa-f:.]+") || !(t.contains(":") || t.matches("[0-9.]+"))) {
            return Optional.empty();
        }
        if (!t.contains(":") && !t.matches("(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])")) {
            // Anything InetAddress could not read as a literal it would look up in DNS: refuse it here.
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean contains(byte[] address) {
        byte[] a = address.length == 16 && network.length == 4 && mappedV4(address)
                ? java.util.Arrays.copyOfRange(address, 12, 16) : address;
        if (a.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    private static boolean mappedV4(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
