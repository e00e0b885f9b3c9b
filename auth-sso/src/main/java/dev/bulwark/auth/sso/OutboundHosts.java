package dev.bulwark.auth.sso;

import java.net.IDN;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The hosts this server may send requests to on behalf of a workspace's single sign-on settings (ASVS 12.6.1): an
 * identity provider's issuer, token endpoint and key set, or a directory server. Workspace administrators type
 * these addresses, so without a list an administrator could make the server call anything it can reach (SSRF).
 *
 * <p>A pattern is a host name ({@code login.example.com}, matched exactly, case-insensitive), a wildcard for every
 * subdomain ({@code *.okta.com}: {@code acme.okta.com} and {@code a.b.okta.com}, but not {@code okta.com} itself
 * nor {@code evilokta.com}), or an IP literal ({@code 127.0.0.1}, {@code [::1]}). Ports are not part of a pattern.
 * {@link #any()} is the explicit "no restriction" (the library's default, for integrators whose settings come
 * from their own configuration rather than from administrators).
 */
public final class OutboundHosts {
    private static final Pattern LABELS = Pattern.compile("^(?:\\*\\.)?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile("^(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6 = Pattern.compile("^\\[[0-9a-f:.]{2,45}]$");
    private static final OutboundHosts ANY = new OutboundHosts(null);

    /** Lower-case patterns; null means any host. */
    private final List<String> patterns;

    private OutboundHosts(List<String> patterns) {
        this.patterns = patterns;
    }

    /** No restriction: any host (still https only where the caller requires it). */
    public static OutboundHosts any() {
        return ANY;
    }

    /**
     * Only these hosts. An empty list allows none. Throws {@link IllegalArgumentException} naming the first pattern
     * that is not a host name, a {@code *.} wildcard or an IP literal.
     */
    public static OutboundHosts only(Collection<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        List<String> out = new ArrayList<>();
        for (String raw : patterns) {
            String p = normalise(raw == null ? "" : raw.strip());
            if (p == null || !(LABELS.matcher(p).matches() || IPV4.matcher(p).matches() || IPV6.matcher(p).matches()) || p.equals("*")) {
                throw new IllegalArgumentException("'" + raw + "' is not a host name, a *.domain wildcard or an IP address");
            }
            out.add(p);
        }
        return new OutboundHosts(List.copyOf(out));
    }

    public static OutboundHosts only(String... patterns) {
        return only(List.of(patterns));
    }

    /** Whether {@code host} (a bare host name or IP literal, IPv6 in brackets or not) is allowed. */
    public boolean permits(String host) {
        if (patterns == null) return true;
        if (host == null || host.isEmpty()) return false;
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        h = normalise(h);
        if (h == null) return false;
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        for (String p : patterns) {
            if (p.startsWith("*.")) {
                if (h.endsWith(p.substring(1)) && h.length() > p.length() - 1) return true;
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the URI's host is allowed (a URI without a host, e.g. with user info tricks that hide it, is not). */
    public boolean permits(URI uri) {
        return uri != null && uri.getHost() != null && uri.getRawUserInfo() == null && permits(uri.getHost());
    }

    public boolean restricted() {
        return patterns != null;
    }

    private static String normalise(String host) {
        if (host.isEmpty()) return null;
        try {
            return host.startsWith("[") ? host.toLowerCase(Locale.ROOT) : IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return host.startsWith("*.") ? normaliseWildcard(host) : null;
        }
    }

    private static String normaliseWildcard(String host) {
        try {
            return "*." + IDN.toASCII(host.substring(2), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return patterns == null ? "OutboundHosts[any]" : "OutboundHosts" + patterns;
    }
}
