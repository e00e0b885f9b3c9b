package dev.bulwark.auth.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the client's address from the socket peer and {@code X-Forwarded-For}, trusting the header only as far as
 * configured: {@link #direct()} ignores it; {@link #trustedProxies} walks it from the right, skipping addresses of
 * trusted proxies, and returns the first untrusted one; {@link #hopCount} takes the entry appended by the outermost
 * of a fixed number of proxies. A client can prepend anything to the header, so nothing left of the first untrusted
 * hop is ever read.
 */
public final class ClientAddressResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAddressResolver.class);
    private static final int MAX_ENTRIES = 64;

    private final List<Cidr> trusted;
    private final int hops;

    private ClientAddressResolver(List<Cidr> trusted, int hops) {
        this.trusted = trusted;
        this.hops = hops;
    }

    /** No proxy: the socket peer is the client; the header is ignored. */
    public static ClientAddressResolver direct() {
        return new ClientAddressResolver(List.of(), 0);
    }

    /** Proxies in these CIDR blocks are trusted to append the address they saw. */
    public static ClientAddressResolver trustedProxies(Collection<String> proxyCidrs) throws InvalidAddressException {
        List<Cidr> blocks = new ArrayList<>();
        for (String c : proxyCidrs) blocks.add(Cidr.parse(c));
        if (blocks.isEmpty()) throw new IllegalArgumentException("at least one trusted proxy CIDR is required; use direct() for none");
        return new ClientAddressResolver(List.copyOf(blocks), 0);
    }

    /** Exactly {@code hops} proxies (e.g. 1 for a single load balancer) sit in front of the application. */
    public static ClientAddressResolver hopCount(int hops) {
        if (hops < 1 || hops > 16) throw new IllegalArgumentException("hops must be within 1..16");
        return new ClientAddressResolver(List.of(), hops);
    }

    /**
     * @param peer             the TCP peer address of the connection
     * @param forwardedHeaders every {@code X-Forwarded-For} header value in the order received (may be empty)
     */
    public InetAddress resolve(InetAddress peer, List<String> forwardedHeaders) {
        InetAddress direct = IpAddresses.canonical(peer);
        if (trusted.isEmpty() && hops == 0) return direct;
        List<String> entries = entries(forwardedHeaders);
        if (hops > 0) {
            int idx = entries.size() - hops;
            if (idx < 0) {
                LOG.warn("X-Forwarded-For has {} entries but {} proxy hops are configured; using the socket peer", entries.size(), hops);
                return direct;
            }
            InetAddress a = parseEntry(entries.get(idx));
            return a == null ? direct : a;
        }
        if (!isTrusted(direct)) return direct;
        InetAddress nearest = direct;
        for (int i = entries.size() - 1; i >= 0; i--) {
            InetAddress a = parseEntry(entries.get(i));
            if (a == null) {
                LOG.warn("unparsable X-Forwarded-For entry appended by trusted proxy; using that proxy's address");
                return nearest;
            }
            if (!isTrusted(a)) return a;
            nearest = a;
        }
        return nearest;
    }

    private boolean isTrusted(InetAddress a) {
        for (Cidr c : trusted) if (c.contains(a)) return true;
        return false;
    }

    private static List<String> entries(List<String> headers) {
        List<String> out = new ArrayList<>();
        if (headers == null) return out;
        for (String h : headers) {
            if (h == null) continue;
            for (String part : h.split(",")) {
                String t = part.trim();
                if (!t.isEmpty()) out.add(t);
            }
        }
        // Keep only the right-most entries: those are the ones trusted hops appended.
        return out.size() > MAX_ENTRIES ? out.subList(out.size() - MAX_ENTRIES, out.size()) : out;
    }

    private static InetAddress parseEntry(String e) {
        String s = e;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) return null;
            s = s.substring(1, close);
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':')); // IPv4 with port
        }
        try {
            return IpAddresses.parse(s);
        } catch (InvalidAddressException ex) {
            return null;
        }
    }
}
