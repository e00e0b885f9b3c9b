package dev.bulwark.auth.login;

import dev.bulwark.testkit.MutableClock;
import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.password.Argon2idParameters;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.ratelimit.RateLimiter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoginGuardTest {
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(256, 1, 1)).build();

    @AfterAll
    static void close() {
        HASHER.close();
    }

    @Test
    void loginIsRateLimitedPerIpWithTheSameAnswerForKnownAndUnknownAccounts() throws Exception {
        MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
        List<SecurityEvent> events = new ArrayList<>();
        LoginGuard g = LoginGuard.builder().hasher(HASHER).clock(clock).events(events::add)
                .rateLimiter(RateLimiter.builder().clock(clock).limit(LimitKind.LOGIN_PER_IP, 3, Duration.ofMinutes(1)).build()).build();
        var ip = IpAddresses.parse("203.0.113.9");
        for (int i = 0; i < 3; i++) g.login(new LoginAttempt("a" + i + "@x.com", "pw", ip), Optional.empty());
        LoginResult limited = g.login(new LoginAttempt("ann@x.com", "pw", ip), Optional.of(new StoredCredential("u", HASHER.hash("pw"))));
        assertThat(limited.status()).isEqualTo(LoginResult.Status.RATE_LIMITED);
        assertThat(limited.retryAfter()).isPositive();
        assertThat(limited.userMessage()).startsWith("Too many attempts");
        assertThat(events).filteredOn(e -> e instanceof SecurityEvent.RateLimited).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(g.login(new LoginAttempt("ann@x.com", "pw", ip), Optional.of(new StoredCredential("u", HASHER.hash("pw")))).succeeded()).isTrue();
    }

    @Test
    void passwordResetAndEmailVerificationAreRateLimitedPerAccount() throws Exception {
        LoginGuard g = LoginGuard.builder().hasher(HASHER).events(e -> { }).build();
        var ip = IpAddresses.parse("203.0.113.9");
        for (int i = 0; i < 3; i++) assertThat(g.allowPasswordReset("ann@x.com", ip).allowed()).isTrue();
        RateLimitDecision d = g.allowPasswordReset("ANN@x.com", ip);
        assertThat(d.allowed()).isFalse();
        assertThat(d.retryAfterSeconds()).isPositive();
        assertThat(g.allowPasswordReset("bob@x.com", ip).allowed()).isTrue();
        for (int i = 0; i < 5; i++) assertThat(g.allowEmailVerification("ann@x.com", ip).allowed()).isTrue();
        assertThat(g.allowEmailVerification("ann@x.com", ip).allowed()).isFalse();
    }

    @Test
    void failingEventListenerNeverBreaksLogin() throws Exception {
        LoginGuard g = LoginGuard.builder().hasher(HASHER).events(e -> { throw new IllegalStateException("mailer down"); }).build();
        LoginResult r = g.login(new LoginAttempt("ann@x.com", "bad", IpAddresses.parse("192.0.2.1")), Optional.empty());
        assertThat(r.status()).isEqualTo(LoginResult.Status.DENIED);
    }

    @Test
    void unreadableStoredHashIsADeniedLoginNotACrash() throws Exception {
        List<SecurityEvent> events = new ArrayList<>();
        LoginGuard g = LoginGuard.builder().hasher(HASHER).events(events::add).build();
        LoginResult r = g.login(new LoginAttempt("ann@x.com", "pw", IpAddresses.parse("192.0.2.1")),
                Optional.of(new StoredCredential("u", "$argon2id$broken")));
        assertThat(r.status()).isEqualTo(LoginResult.Status.DENIED);
        assertThat(events).first().isInstanceOfSatisfying(SecurityEvent.LoginFailed.class,
                e -> assertThat(e.reason()).isEqualTo(SecurityEvent.FailureReason.UNREADABLE_STORED_HASH));
    }

    @Test
    void anUnavailablePepperIsAnErrorThatCountsNoFailure() throws Exception {
        List<SecurityEvent> events = new ArrayList<>();
        try (PasswordHasher broken = PasswordHasher.builder().parameters(Argon2idParameters.of(256, 1, 1))
                .peppers(() -> { throw new IllegalStateException("key store down"); }).build()) {
            LoginGuard g = LoginGuard.builder().hasher(broken).events(events::add).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> g.login(new LoginAttempt("ann@x.com", "pw", IpAddresses.parse("192.0.2.1")),
                    Optional.of(new StoredCredential("u", HASHER.hash("pw"))))).isInstanceOfSatisfying(
                    dev.bulwark.auth.password.PasswordHashingException.class,
                    e -> assertThat(e.reason()).isEqualTo(dev.bulwark.auth.password.PasswordHashingException.Reason.PEPPER_UNAVAILABLE));
        }
        assertThat(events).as("an outage of the pepper's key store is not a wrong password: no failure counted").isEmpty();
    }

    @Test
    void secretHoldersRedactThemselves() throws Exception {
        assertThat(new StoredCredential("u1", "$argon2id$v=19$secret").toString()).doesNotContain("argon2id");
        assertThat(new LoginAttempt("ann@x.com", "hunter2", IpAddresses.parse("192.0.2.1"), "v1.cookie").toString())
                .doesNotContain("hunter2").doesNotContain("v1.cookie");
    }

    @Test
    void lockoutPolicyRejectsUnsafeSettings() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LockoutPolicy.defaults().withThreshold(1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(LockoutPolicy.defaults().durationOf(1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(LockoutPolicy.defaults().durationOf(3)).isEqualTo(Duration.ofHours(2));
        assertThat(LockoutPolicy.defaults().durationOf(50)).isEqualTo(Duration.ofHours(24));
    }
}
