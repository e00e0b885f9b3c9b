package dev.bulwark.auth.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals without ever touching DNS and normalises IPv4-mapped IPv6 addresses
 * ({@code ::ffff:192.0.2.1}) to the IPv4 address they carry, so that one client has one identity.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /** Parses an IPv4 dotted quad (no leading zeros) or an IPv6 literal (optionally in brackets). */
    public static InetAddress parse(String text) throws InvalidAddressException {
        if (text == null || text.isBlank()) throw new InvalidAddressException(InvalidAddressException.Reason.EMPTY, text, "is empty");
        String s = text.trim();
        if (s.length() > 64) throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, s, "is too long to be an IP address");
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        if (s.indexOf('%') >= 0) throw new InvalidAddressException(InvalidAddressException.Reason.ZONE_NOT_ALLOWED, text, "has an IPv6 zone id, which is not accepted");
        if (s.indexOf(':') < 0) {
            byte[] v4 = parseIpv4(s);
            if (v4 == null) throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, text, "is not an IPv4 or IPv6 address");
            try {
                return InetAddress.getByAddress(v4);
            } catch (UnknownHostException e) {
                throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, text, "is not an IPv4 address");
            }
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, text, "is not an IPv6 address");
        }
        int dot = s.indexOf('.');
        if (dot >= 0 && parseIpv4(s.substring(s.lastIndexOf(':') + 1)) == null)
            throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, text, "has an invalid embedded IPv4 part");
        try {
            // Contains ':' and only literal characters, so the JDK parses it as a literal and never resolves it.
            return canonical(InetAddress.getByName(s));
        } catch (UnknownHostException | RuntimeException e) {
            throw new InvalidAddressException(InvalidAddressException.Reason.INVALID_ADDRESS, text, "is not an IPv6 address");
        }
    }

    /** IPv4-mapped IPv6 addresses become their IPv4 address; everything else is returned unchanged. */
    public static InetAddress canonical(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) if (b[i] != 0) mapped = false;
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    /** Text form used for storage and events: dotted quad, or compressed-enough IPv6 from the JDK. */
    public static String format(InetAddress a) {
        InetAddress c = canonical(a);
        return c instanceof Inet4Address ? c.getHostAddress() : c.getHostAddress().replaceAll("%.*$", "");
    }

    static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                if (c < '0' || c > '9') return null;
                v = v * 10 + (c - '0');
            }
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }
}
