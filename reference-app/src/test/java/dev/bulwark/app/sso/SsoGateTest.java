package dev.bulwark.app.sso;

import dev.bulwark.app.platform.Config;
import dev.bulwark.auth.login.InMemoryLoginStateStore;
import dev.bulwark.auth.login.LockoutPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The LDAP failure counter follows the app's lockout policy, and SSO rate limits use the configured numbers. */
class SsoGateTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static SsoGate gate(int perIp, int threshold) {
        Config c = Config.from(Map.of("BULWARK_LOGIN_LIMIT_PER_IP", String.valueOf(perIp), "BULWARK_LOGIN_LIMIT_PER_ACCOUNT", "1000"));
        return new SsoGate(c, new InMemoryLoginStateStore(), LockoutPolicy.defaults().withThreshold(threshold));
    }

    @Test
    void thresholdFailuresLockAndTheLockExpires() {
        try (SsoGate g = gate(100, 5)) {
            String key = SsoGate.ldapKey("ws_1", "Lena ");
            for (int i = 1; i < 5; i++) {
                assertThat(g.failed(key, T0.plusSeconds(i))).isFalse();
                assertThat(g.locked(key, T0.plusSeconds(i))).isFalse();
            }
            assertThat(g.failed(key, T0.plusSeconds(5))).as("the 5th failure locks").isTrue();
            assertThat(g.locked(key, T0.plusSeconds(6))).isTrue();
            assertThat(g.locked(SsoGate.ldapKey("ws_1", "lena"), T0.plusSeconds(6))).as("user names compare case-insensitively").isTrue();
            assertThat(g.locked(SsoGate.ldapKey("ws_2", "lena"), T0.plusSeconds(6))).as("per workspace").isFalse();
            assertThat(g.locked(key, T0.plusSeconds(5).plus(Duration.ofMinutes(30)).plusSeconds(1))).as("30 minutes by default").isFalse();
        }
    }

    @Test
    void aSecondLockoutLastsTwiceAsLong() {
        try (SsoGate g = gate(100, 3)) {
            String key = SsoGate.ldapKey("ws_1", "lena");
            Instant t = T0;
            for (int i = 0; i < 3; i++) g.failed(key, t);
            t = t.plus(Duration.ofMinutes(31));
            assertThat(g.locked(key, t)).isFalse();
            for (int i = 0; i < 3; i++) g.failed(key, t);
            assertThat(g.locked(key, t.plus(Duration.ofMinutes(59)))).isTrue();
            assertThat(g.locked(key, t.plus(Duration.ofMinutes(61)))).isFalse();
        }
    }

    @Test
    void successClearsTheCounter() {
        try (SsoGate g = gate(100, 3)) {
            String key = SsoGate.ldapKey("ws_1", "lena");
            g.failed(key, T0);
            g.failed(key, T0);
            g.succeeded(key);
            assertThat(g.failed(key, T0)).isFalse();
            assertThat(g.failed(key, T0)).isFalse();
            assertThat(g.failed(key, T0)).isTrue();
        }
    }

    @Test
    void perAddressLimitRefusesBeyondTheConfiguredNumber() {
        try (SsoGate g = gate(3, 10)) {
            for (int i = 0; i < 3; i++) assertThat(g.fromAddress("198.51.100.7").allowed()).isTrue();
            assertThat(g.fromAddress("198.51.100.7").allowed()).isFalse();
            assertThat(g.fromAddress("198.51.100.8").allowed()).as("another address has its own bucket").isTrue();
        }
    }
}
