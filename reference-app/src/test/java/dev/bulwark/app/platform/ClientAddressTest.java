package dev.bulwark.app.platform;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {
    @Test
    void forwardedForIsIgnoredWithoutTrustedProxies() {
        Web web = new Web(Config.from(Map.of()), null, new byte[32], null);
        assertThat(web.clientAddress("203.0.113.7", List.of("198.51.100.1")).getHostAddress()).isEqualTo("203.0.113.7");
        assertThat(web.fromTrustedProxy("127.0.0.1")).isFalse();
    }

    @Test
    void forwardedForIsTrustedOnlyFromConfiguredProxiesAndOnlyUpToTheFirstUntrustedHop() {
        Web web = new Web(Config.from(Map.of("BULWARK_TRUSTED_PROXIES", "10.0.0.0/8")), null, new byte[32], null);
        // From the proxy: the address the proxy appended wins; whatever the client prepended is ignored.
        assertThat(web.clientAddress("10.1.2.3", List.of("6.6.6.6, 198.51.100.20")).getHostAddress()).isEqualTo("198.51.100.20");
        // Not from the proxy: the header is the client's own claim and is ignored.
        assertThat(web.clientAddress("203.0.113.9", List.of("10.9.9.9")).getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(web.fromTrustedProxy("10.200.0.1")).isTrue();
        assertThat(web.fromTrustedProxy("203.0.113.9")).isFalse();
        assertThat(web.fromTrustedProxy("not an address")).isFalse();
    }
}
