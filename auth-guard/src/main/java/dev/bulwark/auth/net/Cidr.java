package dev.bulwark.auth.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network block such as {@code 203.0.113.0/24} or {@code 2001:db8::/32}. A bare address is a
 * single-host block (/32 or /128). IPv4-mapped IPv6 blocks ({@code ::ffff:10.0.0.0/104}) become IPv4 blocks.
 */
public final class Cidr {
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses {@code address/prefix} or a bare address. */
    public static Cidr parse(String text) throws InvalidAddressException {
        if (text == null || text.isBlank()) throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY, text, "is empty");
        String s = text.trim();
        int slash = s.indexOf('/');
        String addrPart = slash < 0 ? s : s.substring(0, slash);
        InetAddress addr;
        try {
            addr = IpAddresses.parse(addrPart);
        } catch (InvalidAddressException e) {
            throw e.about(text);
        }
        byte[] bytes = addr.getAddress();
        int max = bytes.length * 8;
        boolean mappedV6 = addr instanceof Inet4Address && addrPart.indexOf(':') >= 0;
        int prefix;
        if (slash < 0) {
            prefix = max;
        } else {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || (p.length() > 1 && p.charAt(0) == '0'))
                throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_PREFIX, text, "has an invalid prefix length after '/'");
            prefix = Integer.parseInt(p);
            if (mappedV6) {
                if (prefix < 96 || prefix > 128)
                    throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_PREFIX, text, "is an IPv4-mapped block and needs a prefix of 96..128");
                prefix -= 96;
            }
            if (prefix > max)
                throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_PREFIX, text,
                        "has prefix /" + prefix + " but " + (max == 32 ? "IPv4" : "IPv6") + " allows at most /" + max);
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes))
            throw new InvalidAddressException(InvalidAddressException.Reason.HOST_BITS_SET, text,
                    "has bits set after the prefix; write the network address " + format(masked, prefix));
        return new Cidr(masked, prefix);
    }

    /** Whether the address (IPv4-mapped IPv6 treated as IPv4) lies in this block. */
    public boolean contains(InetAddress address) {
        byte[] a = IpAddresses.canonical(address).getAddress();
        if (a.length != network.length) return false;
        return Arrays.equals(mask(a, prefix), network);
    }

    public int prefixLength() {
        return prefix;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    private static byte[] mask(byte[] in, int prefix) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    private static String format(byte[] net, int prefix) {
        try {
            return IpAddresses.format(InetAddress.getByAddress(net)) + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    @Override
    public String toString() {
        return format(network, prefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }
}
