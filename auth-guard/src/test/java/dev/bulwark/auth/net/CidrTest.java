package dev.bulwark.auth.net;

import dev.bulwark.auth.net.InvalidAddressException.Reason;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    static InetAddress ip(String s) throws Exception {
        return IpAddresses.parse(s);
    }

    @Test
    void ipv4BlockContainsItsAddressesOnly() throws Exception {
        Cidr c = Cidr.parse("203.0.113.0/24");
        assertThat(c.contains(ip("203.0.113.0"))).isTrue();
        assertThat(c.contains(ip("203.0.113.255"))).isTrue();
        assertThat(c.contains(ip("203.0.114.0"))).isFalse();
        assertThat(c.contains(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv6BlockContainsItsAddressesOnly() throws Exception {
        Cidr c = Cidr.parse("2001:db8:1234::/48");
        assertThat(c.contains(ip("2001:db8:1234:ffff::1"))).isTrue();
        assertThat(c.contains(ip("2001:db8:1235::1"))).isFalse();
        assertThat(c.contains(ip("203.0.113.1"))).isFalse();
    }

    @Test
    void ipv4MappedIpv6AddressMatchesIpv4Block() throws Exception {
        IpAllowlist list = IpAllowlist.of(List.of("10.1.0.0/16"));
        assertThat(list.permits(ip("::ffff:10.1.2.3"))).isTrue();
        // Even when the JDK hands us the mapped form as a raw 16-byte Inet6Address.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        InetAddress raw = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(raw).isInstanceOf(Inet6Address.class);
        assertThat(list.permits(raw)).isTrue();
        assertThat(list.permits(ip("::ffff:10.2.0.1"))).isFalse();
    }

    @Test
    void ipv4MappedBlockBecomesIpv4Block() throws Exception {
        Cidr c = Cidr.parse("::ffff:192.168.0.0/112");
        assertThat(c.isIpv4()).isTrue();
        assertThat(c.prefixLength()).isEqualTo(16);
        assertThat(c.contains(ip("192.168.44.1"))).isTrue();
    }

    @Test
    void bareAddressIsSingleHostBlock() throws Exception {
        assertThat(Cidr.parse("198.51.100.7").prefixLength()).isEqualTo(32);
        assertThat(Cidr.parse("2001:db8::7").prefixLength()).isEqualTo(128);
        assertThat(Cidr.parse("198.51.100.7").contains(ip("198.51.100.8"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|EMPTY",
            "10.0.0.1/8|HOST_BITS_SET",
            "10.0.0.0/33|INVALID_PREFIX",
            "10.0.0.0/|INVALID_PREFIX",
            "10.0.0.0/-1|INVALID_PREFIX",
            "10.0.0.0/08|INVALID_PREFIX",
            "2001:db8::/129|INVALID_PREFIX",
            "256.0.0.0/8|INVALID_ADDRESS",
            "010.0.0.0/8|INVALID_ADDRESS",
            "10.0.0/8|INVALID_ADDRESS",
            "example.com/24|INVALID_ADDRESS",
            "fe80::1%eth0/64|ZONE_NOT_ALLOWED",
            "2001:db8:::1/64|INVALID_ADDRESS",
            "::ffff:10.0.0.0/64|INVALID_PREFIX",
    })
    void invalidCidrIsRejectedWithClearReason(String text, Reason reason) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOfSatisfying(InvalidAddressException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).startsWith("'" + text + "'");
                });
    }

    @Test
    void hostBitsMessageSuggestsTheNetworkAddress() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void emptyAllowlistPermitsNothingAndUnparsableAddressIsNotPermitted() throws Exception {
        assertThat(IpAllowlist.of(List.of()).permits(ip("127.0.0.1"))).isFalse();
        IpAllowlist any = IpAllowlist.of(List.of("0.0.0.0/0", "::/0"));
        assertThat(any.permits(ip("8.8.8.8"))).isTrue();
        assertThat(any.permits(ip("2001:db8::1"))).isTrue();
        assertThat(any.permits("not-an-ip")).isFalse();
    }

    @Test
    void parsingNeverResolvesHostNames() {
        assertThatThrownBy(() -> IpAddresses.parse("localhost")).isInstanceOf(InvalidAddressException.class);
        assertThatThrownBy(() -> IpAddresses.parse("deadbeef")).isInstanceOf(InvalidAddressException.class);
    }

    @Test
    void canonicalFormIsIpv4ForMappedAddresses() throws Exception {
        assertThat(IpAddresses.parse("::ffff:1.2.3.4")).isInstanceOf(Inet4Address.class);
        assertThat(IpAddresses.format(ip("::ffff:1.2.3.4"))).isEqualTo("1.2.3.4");
        assertThat(IpAddresses.parse("[2001:db8::1]")).isInstanceOf(Inet6Address.class);
    }

    @Property(tries = 10000)
    void cidrParserNeverThrowsAnythingButTypedException(@ForAll @StringLength(max = 60) String s) {
        try {
            Cidr.parse(s);
        } catch (InvalidAddressException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Property(tries = 10000)
    void cidrParserSurvivesAddressLikeGarbage(@ForAll("addressLike") String s) {
        try {
            Cidr c = Cidr.parse(s);
            assertThat(c.prefixLength()).isBetween(0, 128);
        } catch (InvalidAddressException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> addressLike() {
        return net.jqwik.api.Arbitraries.strings().withChars("0123456789abcdefABCDEF:./%[]-").ofMaxLength(45);
    }
}
