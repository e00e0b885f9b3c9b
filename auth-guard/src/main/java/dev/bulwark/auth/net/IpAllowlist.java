package dev.bulwark.auth.net;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A list of IPv4 and IPv6 CIDR blocks an address must fall in. An empty allowlist permits nothing (if a
 * workspace has no allowlist, do not consult one). IPv4-mapped IPv6 addresses match their IPv4 blocks.
 *
 * <pre>{@code
 * IpAllowlist office = IpAllowlist.of(List.of("203.0.113.0/24", "2001:db8:1234::/48"));
 * if (!office.permits(clientAddress)) deny();
 * }</pre>
 */
public final class IpAllowlist {
    private final List<Cidr> blocks;

    private IpAllowlist(List<Cidr> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** Parses every entry; the exception names the first invalid one and why. */
    public static IpAllowlist of(Collection<String> cidrs) throws InvalidAddressException {
        List<Cidr> out = new ArrayList<>();
        for (String c : cidrs) out.add(Cidr.parse(c));
        return new IpAllowlist(out);
    }

    public static IpAllowlist ofBlocks(Collection<Cidr> blocks) {
        return new IpAllowlist(new ArrayList<>(blocks));
    }

    public boolean permits(InetAddress address) {
        if (address == null) return false;
        for (Cidr c : blocks) if (c.contains(address)) return true;
        return false;
    }

    /** Parses the address first; an unparsable address is not permitted. */
    public boolean permits(String address) {
        try {
            return permits(IpAddresses.parse(address));
        } catch (InvalidAddressException e) {
            return false;
        }
    }

    public List<Cidr> blocks() {
        return blocks;
    }

    @Override
    public String toString() {
        return "IpAllowlist" + blocks;
    }
}
