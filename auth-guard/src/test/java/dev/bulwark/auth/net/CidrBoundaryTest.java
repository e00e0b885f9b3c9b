package dev.bulwark.auth.net;

import dev.bulwark.auth.net.InvalidAddressException.Reason;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prefix boundaries, mapped blocks, error messages and address-literal edge cases. */
class CidrBoundaryTest {

    static InetAddress ip(String s) throws Exception {
        return IpAddresses.parse(s);
    }

    static InvalidAddressException refusal(ThrowingRunnable r) {
        try {
            r.run();
        } catch (InvalidAddressException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
        throw new AssertionError("accepted");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void prefixNotOnAByteBoundaryCoversExactlyItsRange() throws Exception {
        Cidr upperHalf = Cidr.parse("10.0.0.128/25");
        assertThat(upperHalf.contains(ip("10.0.0.128"))).isTrue();
        assertThat(upperHalf.contains(ip("10.0.0.255"))).isTrue();
        assertThat(upperHalf.contains(ip("10.0.0.127"))).isFalse();
        assertThat(upperHalf.contains(ip("10.0.1.128"))).isFalse();
        Cidr nine = Cidr.parse("10.128.0.0/9");
        assertThat(nine.contains(ip("10.255.255.255"))).isTrue();
        assertThat(nine.contains(ip("10.127.255.255"))).isFalse();
        Cidr v6 = Cidr.parse("2001:db8::/127");
        assertThat(v6.contains(ip("2001:db8::1"))).isTrue();
        assertThat(v6.contains(ip("2001:db8::2"))).isFalse();
    }

    @Test
    void largestAndSmallestPrefixesAreAccepted() throws Exception {
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("192.0.2.1/32").contains(ip("192.0.2.1"))).isTrue();
        assertThat(Cidr.parse("192.0.2.1/32").contains(ip("192.0.2.0"))).isFalse();
        Cidr host6 = Cidr.parse("2001:db8::1/128");
        assertThat(host6.prefixLength()).isEqualTo(128);
        assertThat(host6.isIpv4()).isFalse();
        assertThat(host6.contains(ip("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8::/100").prefixLength()).isEqualTo(100);
        assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void mappedBlocksAcceptPrefixesNinetySixToOneHundredTwentyEight() throws Exception {
        Cidr all = Cidr.parse("::ffff:0.0.0.0/96");
        assertThat(all.isIpv4()).isTrue();
        assertThat(all.prefixLength()).isZero();
        Cidr host = Cidr.parse("::ffff:10.0.0.1/128");
        assertThat(host).isEqualTo(Cidr.parse("10.0.0.1/32"));
        InvalidAddressException e = refusal(() -> Cidr.parse("::ffff:0.0.0.0/95"));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PREFIX);
        assertThat(e.getMessage()).contains("96..128");
        assertThat(refusal(() -> Cidr.parse("::ffff:10.0.0.1/129")).reason()).isEqualTo(Reason.INVALID_PREFIX);
    }

    @Test
    void tooLargePrefixMessageNamesTheFamilyLimit() {
        assertThat(refusal(() -> Cidr.parse("10.0.0.0/33")).getMessage())
                .isEqualTo("'10.0.0.0/33' has prefix /33 but IPv4 allows at most /32");
        assertThat(refusal(() -> Cidr.parse("2001:db8::/129")).getMessage())
                .isEqualTo("'2001:db8::/129' has prefix /129 but IPv6 allows at most /128");
        assertThat(refusal(() -> Cidr.parse("2001:db8::/1000")).reason()).isEqualTo(Reason.INVALID_PREFIX);
        assertThat(refusal(() -> Cidr.parse("10.0.0.0/3a")).reason()).isEqualTo(Reason.INVALID_PREFIX);
    }

    @Test
    void hostBitsMessageSuggestsTheNetworkAddressForOddPrefixes() {
        InvalidAddressException e = refusal(() -> Cidr.parse("10.0.0.64/25"));
        assertThat(e.reason()).isEqualTo(Reason.HOST_BITS_SET);
        assertThat(e.getMessage()).endsWith("write the network address 10.0.0.0/25");
        assertThat(refusal(() -> Cidr.parse("2001:db8::1/64")).getMessage()).endsWith("2001:db8:0:0:0:0:0:0/64");
    }

    @Test
    void blocksAreEqualWhenTheyDescribeTheSameNetwork() throws Exception {
        assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse(" 10.0.0.0/8 ")).hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9")).isNotEqualTo(Cidr.parse("11.0.0.0/8"))
                .isNotEqualTo("10.0.0.0/8");
        assertThat(Cidr.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
    }

    @Test
    void allowlistListsItsBlocksAndRefusesNull() throws Exception {
        IpAllowlist list = IpAllowlist.ofBlocks(List.of(Cidr.parse("192.0.2.0/24")));
        assertThat(list.blocks()).containsExactly(Cidr.parse("192.0.2.0/24"));
        assertThat(list.permits((InetAddress) null)).isFalse();
        assertThat(list.permits("192.0.2.200")).isTrue();
        assertThat(list.permits("192.0.3.1")).isFalse();
        InvalidAddressException e = refusal(() -> IpAllowlist.of(List.of("192.0.2.0/24", "192.0.2.1/24")));
        assertThat(e.getMessage()).startsWith("'192.0.2.1/24'");
    }

    @Test
    void dottedQuadsAreStrict() throws Exception {
        assertThat(ip("0.0.0.0").getAddress()).containsExactly(0, 0, 0, 0);
        assertThat(ip("255.255.255.255").getAddress()).containsExactly(-1, -1, -1, -1);
        assertThat(ip(" 9.90.109.199 ").getHostAddress()).isEqualTo("9.90.109.199");
        for (String bad : new String[] {"256.0.0.1", "1.2.3", "1.2.3.4.5", "1..3.4", "1.2.3.1000", "01.2.3.4", "1.2.3.-4",
                "1.2.3./", "1.2.3.:", "1.2.3.4/"}) {
            assertThat(refusal(() -> IpAddresses.parse(bad)).reason()).as(bad).isEqualTo(Reason.INVALID_ADDRESS);
        }
    }

    @Test
    void ipv6LiteralsAreCheckedBeforeTheJdkSeesThem() {
        assertThat(refusal(() -> IpAddresses.parse("fe80::1%eth0")).reason()).isEqualTo(Reason.ZONE_NOT_ALLOWED);
        assertThat(refusal(() -> IpAddresses.parse("2001:db8::g")).reason()).isEqualTo(Reason.INVALID_ADDRESS);
        assertThat(refusal(() -> IpAddresses.parse("::ffff:1.2.3.256")).getMessage()).contains("embedded IPv4");
        assertThat(refusal(() -> IpAddresses.parse("   ")).reason()).isEqualTo(Reason.EMPTY);
        assertThat(refusal(() -> IpAddresses.parse(null)).reason()).isEqualTo(Reason.EMPTY);
        assertThat(refusal(() -> IpAddresses.parse("1:".repeat(33))).getMessage()).contains("too long");
    }

    @Test
    void onlyGenuinelyMappedAddressesBecomeIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
        assertThat(IpAddresses.canonical(Inet6Address.getByAddress(null, mapped, -1)).getHostAddress()).isEqualTo("1.2.3.4");
        byte[] notMapped10 = mapped.clone();
        notMapped10[10] = 0;
        byte[] notMapped11 = mapped.clone();
        notMapped11[11] = 0;
        byte[] prefixed = mapped.clone();
        prefixed[0] = 0x20;
        byte[] prefixed9 = mapped.clone();
        prefixed9[9] = 1;
        for (byte[] b : List.of(notMapped10, notMapped11, prefixed, prefixed9)) {
            assertThat(IpAddresses.canonical(Inet6Address.getByAddress(null, b, -1))).isInstanceOf(Inet6Address.class);
        }
    }

    @Test
    void formatDropsZoneIdsAndPrintsMappedAsIpv4() throws Exception {
        byte[] linkLocal = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        assertThat(IpAddresses.format(Inet6Address.getByAddress(null, linkLocal, 3))).isEqualTo("fe80:0:0:0:0:0:0:1");
        assertThat(IpAddresses.format(ip("192.0.2.1"))).isEqualTo("192.0.2.1");
    }

    @Test
    void errorMessagesShortenLongInputAndNeutraliseControlCharacters() {
        String longInput = "a".repeat(80) + "/8";
        String msg = refusal(() -> Cidr.parse(longInput)).getMessage();
        assertThat(msg).startsWith("'" + "a".repeat(60) + "…'");
        String exactly60 = "b".repeat(60);
        assertThat(refusal(() -> Cidr.parse(exactly60)).getMessage()).startsWith("'" + exactly60 + "'");
        assertThat(refusal(() -> Cidr.parse("evil\r\nlog")).getMessage()).startsWith("'evil??log'").doesNotContain("\n");
    }
}
