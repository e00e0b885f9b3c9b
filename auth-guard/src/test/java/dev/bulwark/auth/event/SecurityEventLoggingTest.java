package dev.bulwark.auth.event;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.event.SubstituteLoggingEvent;
import org.slf4j.helpers.SubstituteLogger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityEventLoggingTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05Z");

    private static List<SubstituteLoggingEvent> logged(SecurityEvent... events) {
        LinkedBlockingQueue<SubstituteLoggingEvent> queue = new LinkedBlockingQueue<>();
        Slf4jSecurityEventListener listener = new Slf4jSecurityEventListener(new SubstituteLogger("security", queue, false));
        for (SecurityEvent e : events) listener.on(e);
        return new ArrayList<>(queue);
    }

    @Test
    void suspiciousEventsAreLoggedAtWarnAndTheRestAtInfo() {
        List<SubstituteLoggingEvent> log = logged(
                new SecurityEvent.AccountLocked(T, "a", "1.2.3.4", T, 1, false, true),
                new SecurityEvent.RateLimited(T, "LOGIN_PER_IP", "1.2.3.4", "1.2.3.4"),
                new SecurityEvent.MfaFailed(T, "a", "1.2.3.4"),
                new SecurityEvent.ApiKeyMisuse(T, "k", "revoked", "1.2.3.4"),
                new SecurityEvent.LoginFailed(T, "a", "1.2.3.4", SecurityEvent.FailureReason.WRONG_PASSWORD),
                new SecurityEvent.AccountUnlocked(T, "a", "admin"),
                new SecurityEvent.NewAddressForAccount(T, "a", "1.2.3.4"));
        assertThat(log).extracting(SubstituteLoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.WARN, Level.WARN, Level.WARN, Level.INFO, Level.INFO, Level.INFO);
        assertThat(log.get(2).getArgumentArray()).containsExactly("mfa.failed account=a ip=1.2.3.4 at=2026-01-02T03:04:05Z");
    }

    @Test
    void logLinesCarryEveryIdentifierOfTheEvent() {
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.AccountLocked(T, "ann", "1.2.3.4", T.plusSeconds(60), 2, true, true)))
                .isEqualTo("account.locked account=ann ip=1.2.3.4 until=2026-01-02T03:05:05Z lockouts=2 factor=mfa at=2026-01-02T03:04:05Z");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.NewAddressForAccount(T, "ann", "2001:db8::1")))
                .isEqualTo("login.new_address account=ann ip=2001:db8::1 at=2026-01-02T03:04:05Z");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.LoginFailed(T, "ann", "1.2.3.4", SecurityEvent.FailureReason.ACCOUNT_LOCKED)))
                .isEqualTo("login.failed account=ann ip=1.2.3.4 reason=ACCOUNT_LOCKED at=2026-01-02T03:04:05Z");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.ApiKeyMisuse(T, "k1", "wrong secret", "1.2.3.4")))
                .isEqualTo("api_key.misuse keyId=k1 reason=wrong_secret ip=1.2.3.4 at=2026-01-02T03:04:05Z");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.RateLimited(T, "LOGIN_PER_IP", "s", "1.2.3.4")))
                .isEqualTo("rate.limited limit=LOGIN_PER_IP subject=s ip=1.2.3.4 at=2026-01-02T03:04:05Z");
        assertThat(Slf4jSecurityEventListener.format(new SecurityEvent.AccountUnlocked(T, "ann", "admin:carol")))
                .isEqualTo("account.unlocked account=ann by=admin:carol at=2026-01-02T03:04:05Z");
    }

    @Test
    void longValuesAreCutAtTwoHundredCharacters() {
        String line = Slf4jSecurityEventListener.format(new SecurityEvent.MfaFailed(T, "a".repeat(201), null));
        assertThat(line).startsWith("mfa.failed account=" + "a".repeat(200) + "… ip=-");
        String exact = Slf4jSecurityEventListener.format(new SecurityEvent.MfaFailed(T, "b".repeat(200), "x"));
        assertThat(exact).contains("account=" + "b".repeat(200) + " ip=x");
    }

    @Test
    void failingListenerDoesNotStopTheNextOne() {
        List<String> got = new ArrayList<>();
        SecurityEventListener failing = e -> { throw new IllegalStateException("mailer down"); };
        SecurityEventListener chain = failing.andThen(e -> got.add(e.type()));
        assertThatThrownBy(() -> chain.on(new SecurityEvent.MfaFailed(T, "x", "1.1.1.1"))).isInstanceOf(IllegalStateException.class);
        assertThat(got).containsExactly("mfa.failed");
    }
}
