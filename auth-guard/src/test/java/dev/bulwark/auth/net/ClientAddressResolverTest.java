package dev.bulwark.auth.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressResolverTest {

    static InetAddress ip(String s) throws Exception {
        return IpAddresses.parse(s);
    }

    @Test
    void directIgnoresForwardedForEntirely() throws Exception {
        assertThat(ClientAddressResolver.direct().resolve(ip("198.51.100.9"), List.of("1.2.3.4")))
                .isEqualTo(ip("198.51.100.9"));
    }

    @Test
    void untrustedPeerCannotSpoofItsAddressWithTheHeader() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8"));
        assertThat(r.resolve(ip("198.51.100.9"), List.of("1.2.3.4"))).isEqualTo(ip("198.51.100.9"));
    }

    @Test
    void trustedProxiesAreSkippedFromTheRightAndClientPrependedValuesIgnored() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));
        // The client sent "X-Forwarded-For: 6.6.6.6"; proxy 10.0.0.5 appended the real peer 203.0.113.7, then 10.0.0.9 appended 10.0.0.5.
        InetAddress client = r.resolve(ip("10.0.0.9"), List.of("6.6.6.6, 203.0.113.7", "10.0.0.5"));
        assertThat(client).isEqualTo(ip("203.0.113.7"));
    }

    @Test
    void garbageAppendedBeyondTheFirstUntrustedHopIsNeverRead() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("not-an-ip, 203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("203.0.113.7:4711"))).isEqualTo(ip("203.0.113.7"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("[2001:db8::5]:443"))).isEqualTo(ip("2001:db8::5"));
    }

    @Test
    void unparsableEntryFromTrustedHopFallsBackToThatHop() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("junk"))).isEqualTo(ip("10.0.0.9"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of())).isEqualTo(ip("10.0.0.9"));
    }

    @Test
    void hopCountTakesTheEntryAppendedByTheOutermostProxy() throws Exception {
        ClientAddressResolver one = ClientAddressResolver.hopCount(1);
        assertThat(one.resolve(ip("10.0.0.9"), List.of("6.6.6.6, 203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        ClientAddressResolver two = ClientAddressResolver.hopCount(2);
        assertThat(two.resolve(ip("10.0.0.9"), List.of("6.6.6.6, 203.0.113.7, 10.0.0.5"))).isEqualTo(ip("203.0.113.7"));
        assertThat(two.resolve(ip("10.0.0.9"), List.of("203.0.113.7"))).isEqualTo(ip("10.0.0.9"));
    }

    @Test
    void mappedPeerIsCanonicalised() throws Exception {
        assertThat(ClientAddressResolver.direct().resolve(ip("::ffff:203.0.113.7"), List.of())).isEqualTo(ip("203.0.113.7"));
    }
}
