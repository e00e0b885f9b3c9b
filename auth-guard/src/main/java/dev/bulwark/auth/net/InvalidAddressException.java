package dev.bulwark.auth.net;

/** An IP address or CIDR block could not be parsed. The message quotes (a shortened copy of) the input and says why. */
public final class InvalidAddressException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        EMPTY,
        /** Not an IPv4 dotted quad or an IPv6 literal (host names are never resolved). */
        INVALID_ADDRESS,
        /** IPv6 zone ids ({@code %eth0}) are not accepted. */
        ZONE_NOT_ALLOWED,
        /** The prefix length is missing, not a number or too large for the address family. */
        INVALID_PREFIX,
        /** The address has bits set beyond the prefix, e.g. {@code 10.0.0.1/8}; write the network address. */
        HOST_BITS_SET
    }

    private final Reason reason;
    private final String why;

    InvalidAddressException(Reason reason, String input, String why) {
        super("'" + shorten(input) + "' " + why);
        this.reason = reason;
        this.why = why;
    }

    /** The same problem, reported against the whole input (e.g. a CIDR block rather than its address part). */
    InvalidAddressException about(String wholeInput) {
        return new InvalidAddressException(reason, wholeInput, why);
    }

    public Reason reason() {
        return reason;
    }

    private static String shorten(String s) {
        if (s == null) return "";
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        StringBuilder sb = new StringBuilder();
        for (char c : t.toCharArray()) sb.append(Character.isISOControl(c) ? '?' : c);
        return sb.toString();
    }
}
