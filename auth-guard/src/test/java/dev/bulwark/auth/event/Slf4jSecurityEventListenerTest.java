package dev.bulwark.auth.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class Slf4jSecurityEventListenerTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void hostileAccountNameCannotForgeLogLines() {
        String line = Slf4jSecurityEventListener.format(new SecurityEvent.LoginFailed(T, "eve\n2026 login.succeeded account=admin",
                "203.0.113.7", SecurityEvent.FailureReason.WRONG_PASSWORD));
        assertThat(line).doesNotContain("\n").startsWith("login.failed account=eve_2026_login.succeeded");
    }

    @Test
    void everyEventTypeFormatsWithItsIdentifiers() {
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.AccountLocked(T, "ann@x.com", "1.2.3.4", T.plusSeconds(1800), 1, false, true)))
                .contains("account.locked", "account=ann@x.com", "lockouts=1", "factor=password");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.ApiKeyMisuse(T, "abcd", "revoked", null)))
                .contains("api_key.misuse", "keyId=abcd", "ip=-");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.RateLimited(T, "LOGIN_PER_IP", "1.2.3.4", "1.2.3.4")))
                .contains("rate.limited", "limit=LOGIN_PER_IP");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.NewAddressForAccount(T, "a", "1.2.3.4"))).contains("login.new_address");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.MfaFailed(T, "a", "1.2.3.4"))).contains("mfa.failed");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.AccountUnlocked(T, "a", "admin"))).contains("by=admin");
    }

    @Test
    void listenerChainsDeliverToBoth() {
        java.util.List<String> got = new java.util.ArrayList<>();
        SecurityEventListener a = e -> got.add("a:" + e.type());
        a.andThen(e -> got.add("b:" + e.type())).on(new SecurityEvent.MfaFailed(T, "x", "1.1.1.1"));
        assertThat(got).containsExactly("a:mfa.failed", "b:mfa.failed");
    }
}
