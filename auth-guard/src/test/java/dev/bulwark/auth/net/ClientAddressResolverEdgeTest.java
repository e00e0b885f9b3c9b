package dev.bulwark.auth.net;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressResolverEdgeTest {

    static InetAddress ip(String s) throws Exception {
        return IpAddresses.parse(s);
    }

    @Test
    void hopCountMustBeOneToSixteen() {
        assertThatThrownBy(() -> ClientAddressResolver.hopCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddressResolver.hopCount(17)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientAddressResolver.hopCount(16)).isNotNull();
    }

    @Test
    void trustedProxiesNeedsAtLeastOneValidBlock() {
        assertThatThrownBy(() -> ClientAddressResolver.trustedProxies(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAddressResolver.trustedProxies(List.of("10.0.0.1/8"))).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void hopCountUsesThePeerWhenTheEntryIsUnparsableOrMissing() throws Exception {
        ClientAddressResolver one = ClientAddressResolver.hopCount(1);
        assertThat(one.resolve(ip("10.0.0.9"), List.of("6.6.6.6, junk"))).isEqualTo(ip("10.0.0.9"));
        assertThat(one.resolve(ip("10.0.0.9"), null)).isEqualTo(ip("10.0.0.9"));
        assertThat(one.resolve(ip("10.0.0.9"), Arrays.asList(null, "203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
        assertThat(one.resolve(ip("10.0.0.9"), List.of("203.0.113.7", " , "))).isEqualTo(ip("203.0.113.7"));
    }

    @Test
    void chainOfOnlyTrustedProxiesResolvesToTheFarthestProxy() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("10.0.0.5, 10.0.0.6"))).isEqualTo(ip("10.0.0.5"));
    }

    @Test
    void unterminatedBracketFromATrustedHopFallsBackToThatHop() throws Exception {
        ClientAddressResolver r = ClientAddressResolver.trustedProxies(List.of("10.0.0.0/8"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("[2001:db8::5"))).isEqualTo(ip("10.0.0.9"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("2001:db8::5"))).isEqualTo(ip("2001:db8::5"));
        assertThat(r.resolve(ip("10.0.0.9"), List.of("::ffff:203.0.113.7"))).isEqualTo(ip("203.0.113.7"));
    }
}
