package dev.bulwark.auth.login;

import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.password.Argon2idParameters;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.password.PasswordHashingException;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.ratelimit.RateLimiter;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-account limits, MFA limits, unusable account names, reported reasons and lock status (in memory). */
class LoginGuardLimitsTest {
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).threads(1).build();
    static final String PASSWORD = "Correct-Horse-7";
    static final String HASH = HASHER.hash(PASSWORD);

    final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
    final List<SecurityEvent> events = new ArrayList<>();

    @AfterAll
    static void close() {
        HASHER.close();
    }

    static InetAddress ip(String s) {
        try {
            return IpAddresses.parse(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    LoginGuard guard(Consumer<RateLimiter.Builder> limits) {
        RateLimiter.Builder b = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                .limit(LimitKind.LOGIN_PER_IP, 10_000, Duration.ofMinutes(1))
                .limit(LimitKind.LOGIN_PER_ACCOUNT, 10_000, Duration.ofMinutes(1));
        limits.accept(b);
        return LoginGuard.builder().hasher(HASHER).clock(clock).rateLimiter(b.build()).events(events::add)
                .deviceCookieKey(new byte[32]).build();
    }

    static LoginResult login(LoginGuard g, String account, String password, String from, String cookie) {
        return g.login(new LoginAttempt(account, password, ip(from), cookie), Optional.of(new StoredCredential("u-1", HASH)));
    }

    <T extends SecurityEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void perAccountLimitAppliesAcrossAddresses() {
        LoginGuard g = guard(b -> b.limit(LimitKind.LOGIN_PER_ACCOUNT, 2, Duration.ofMinutes(1)));
        login(g, "ann@example.com", "wrong", "192.0.2.1", null);
        login(g, "ann@example.com", "wrong", "192.0.2.2", null);
        LoginResult third = login(g, "ANN@example.com", PASSWORD, "192.0.2.3", null);
        assertThat(third.status()).isEqualTo(LoginResult.Status.RATE_LIMITED);
        assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(third.userMessage()).isEqualTo("Too many attempts. Try again in 30 seconds.");
        assertThat(events(SecurityEvent.RateLimited.class)).singleElement().satisfies(e -> {
            assertThat(e.limit()).isEqualTo("LOGIN_PER_ACCOUNT");
            assertThat(e.subject()).isEqualTo("ann@example.com");
            assertThat(e.clientAddress()).isEqualTo("192.0.2.3");
        });
    }

    @Test
    void ownersDeviceCookieIsExemptFromThePerAccountLimit() {
        LoginGuard g = guard(b -> b.limit(LimitKind.LOGIN_PER_ACCOUNT, 1, Duration.ofMinutes(1)));
        String cookie = login(g, "ann@example.com", PASSWORD, "192.0.2.1", null).verified().orElseThrow().deviceCookie();
        assertThat(login(g, "ann@example.com", PASSWORD, "203.0.113.9", null).status()).isEqualTo(LoginResult.Status.RATE_LIMITED);
        assertThat(login(g, "ann@example.com", PASSWORD, "192.0.2.1", cookie).succeeded()).isTrue();
    }

    @Test
    void retryMessageRoundsUpToWholeSeconds() {
        LoginGuard g = guard(b -> b.limit(LimitKind.LOGIN_PER_IP, 1, Duration.ofMinutes(1)));
        login(g, "ann@example.com", "wrong", "192.0.2.1", null);
        clock.advance(Duration.ofMillis(500));
        LoginResult limited = login(g, "ann@example.com", "wrong", "192.0.2.1", null);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofMillis(59_500));
        assertThat(limited.userMessage()).isEqualTo("Too many attempts. Try again in 60 seconds.");
        assertThat(limited.verified()).isEmpty();
        assertThat(events(SecurityEvent.RateLimited.class)).singleElement()
                .satisfies(e -> assertThat(e.limit()).isEqualTo("LOGIN_PER_IP"));
    }

    @Test
    void overlongOrEmptyAccountNamesAreRefusedAsUnknownWithoutCounting() {
        LoginGuard g = guard(b -> { });
        String huge = "x".repeat(LoginGuard.MAX_ACCOUNT_LENGTH + 1);
        assertThat(login(g, huge, PASSWORD, "192.0.2.1", null).status()).isEqualTo(LoginResult.Status.DENIED);
        assertThat(login(g, "   ", PASSWORD, "192.0.2.1", null).status()).isEqualTo(LoginResult.Status.DENIED);
        assertThat(events(SecurityEvent.LoginFailed.class)).extracting(SecurityEvent.LoginFailed::reason)
                .containsOnly(SecurityEvent.FailureReason.UNKNOWN_ACCOUNT);
        assertThat(events(SecurityEvent.LoginFailed.class).get(0).account()).isEqualTo("x".repeat(64) + "…");
        assertThat(g.lockStatus(huge).failures()).isZero();
    }

    @Test
    void longestAllowedAccountNameWorks() {
        LoginGuard g = guard(b -> { });
        String longest = "y".repeat(LoginGuard.MAX_ACCOUNT_LENGTH);
        assertThat(login(g, longest, "wrong", "192.0.2.1", null).status()).isEqualTo(LoginResult.Status.DENIED);
        assertThat(g.lockStatus(longest).failures()).isEqualTo(1);
        assertThat(events(SecurityEvent.LoginFailed.class)).singleElement().satisfies(e -> {
            assertThat(e.account()).isEqualTo(longest);
            assertThat(e.reason()).isEqualTo(SecurityEvent.FailureReason.WRONG_PASSWORD);
        });
        assertThat(login(g, longest, PASSWORD, "192.0.2.1", null).verified().orElseThrow().account()).isEqualTo(longest);
    }

    @Test
    void emptyPasswordIsAFailedAttemptNotAnError() {
        LoginGuard g = guard(b -> { });
        assertThat(g.login(new LoginAttempt("ann@example.com", null, ip("192.0.2.1")), Optional.of(new StoredCredential("u-1", HASH))).status())
                .isEqualTo(LoginResult.Status.DENIED);
        assertThat(g.lockStatus("ann@example.com").failures()).isEqualTo(1);
        assertThat(g.login(new LoginAttempt("nobody@example.com", "", ip("192.0.2.1")), Optional.empty()).status())
                .isEqualTo(LoginResult.Status.DENIED);
        assertThat(events(SecurityEvent.LoginFailed.class)).extracting(SecurityEvent.LoginFailed::reason)
                .containsExactly(SecurityEvent.FailureReason.WRONG_PASSWORD, SecurityEvent.FailureReason.UNKNOWN_ACCOUNT);
    }

    @Test
    void closedHasherFailsLoudlyInsteadOfCountingAFailure() {
        PasswordHasher closed = PasswordHasher.builder().parameters(Argon2idParameters.of(8, 1, 1)).build();
        closed.close();
        LoginGuard g = LoginGuard.builder().hasher(closed).events(events::add).build();
        assertThatThrownBy(() -> g.login(new LoginAttempt("ann@example.com", PASSWORD, ip("192.0.2.1")),
                Optional.of(new StoredCredential("u-1", HASH))))
                .isInstanceOfSatisfying(PasswordHashingException.class,
                        e -> assertThat(e.reason()).isEqualTo(PasswordHashingException.Reason.CLOSED));
        assertThat(g.lockStatus("ann@example.com").failures()).isZero();
    }

    @Test
    void successfulLoginReturnsTheUserAndAWorkingDeviceCookie() {
        LoginGuard g = guard(b -> { });
        VerifiedLogin v = login(g, "  Ann@Example.com ", PASSWORD, "192.0.2.1", null).verified().orElseThrow();
        assertThat(v.account()).isEqualTo("ann@example.com");
        assertThat(v.userId()).isEqualTo("u-1");
        assertThat(v.fromNewAddress()).isFalse();
        for (int i = 0; i < 10; i++) login(g, "ann@example.com", "wrong", "203.0.113.66", null);
        assertThat(login(g, "ann@example.com", PASSWORD, "192.0.2.1", v.deviceCookie()).status()).isEqualTo(LoginResult.Status.SUCCESS);
        assertThat(login(g, "ann@example.com", PASSWORD, "192.0.2.1", null).userMessage()).isEqualTo(LoginResult.DENIED_MESSAGE);
    }

    @Test
    void deviceCookieLockIsReportedAsADeviceLock() {
        LoginGuard g = guard(b -> { });
        String cookie = login(g, "ann@example.com", PASSWORD, "192.0.2.1", null).verified().orElseThrow().deviceCookie();
        for (int i = 0; i < 10; i++) login(g, "ann@example.com", "wrong", "203.0.113.66", null);
        for (int i = 0; i < 10; i++) login(g, "ann@example.com", "wrong", "192.0.2.1", cookie);
        assertThat(events(SecurityEvent.AccountLocked.class)).extracting(SecurityEvent.AccountLocked::account)
                .containsExactly("ann@example.com", "ann@example.com (device)");
        assertThat(events(SecurityEvent.AccountLocked.class)).allSatisfy(e -> {
            assertThat(e.secondFactor()).isFalse();
            assertThat(e.knownAccount()).isTrue();
        });
    }

    @Test
    void lockStatusReportsTheLaterOfBothLocksWhileTheyLast() {
        LoginGuard g = guard(b -> { });
        InetAddress from = ip("192.0.2.1");
        for (int i = 0; i < 10; i++) login(g, "ann@example.com", "wrong", "192.0.2.1", null);
        clock.advance(Duration.ofMinutes(10));
        for (int i = 0; i < 10; i++) g.verifySecondFactor("ann@example.com", from, () -> false);
        LockStatus s = g.lockStatus("ann@example.com");
        assertThat(s.passwordLocked()).isTrue();
        assertThat(s.secondFactorLocked()).isTrue();
        assertThat(s.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(s.lockouts()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(25));
        assertThat(g.lockStatus("ann@example.com").lockedUntil()).as("MFA lock still running").isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(g.lockStatus("ann@example.com").passwordLocked()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.lockStatus("ann@example.com").lockedUntil()).isNull();
        assertThat(g.lockStatus("ann@example.com").secondFactorLocked()).isFalse();
    }

    @Test
    void unlockAlsoLiftsTheSecondFactorLock() {
        LoginGuard g = guard(b -> { });
        InetAddress from = ip("192.0.2.1");
        for (int i = 0; i < 10; i++) g.verifySecondFactor("ann@example.com", from, () -> false);
        assertThat(g.verifySecondFactor("ann@example.com", from, () -> true).accepted()).isFalse();
        g.unlock("Ann@Example.com", "admin:carol");
        assertThat(g.verifySecondFactor("ann@example.com", from, () -> true).accepted()).isTrue();
        assertThat(events(SecurityEvent.AccountUnlocked.class)).singleElement()
                .satisfies(e -> assertThat(e.account()).isEqualTo("ann@example.com"));
    }

    @Test
    void acceptedSecondFactorResetsItsCounter() {
        LoginGuard g = guard(b -> { });
        InetAddress from = ip("192.0.2.1");
        for (int i = 0; i < 9; i++) g.verifySecondFactor("ann@example.com", from, () -> false);
        SecondFactorResult ok = g.verifySecondFactor("ann@example.com", from, () -> true);
        assertThat(ok.accepted()).isTrue();
        assertThat(ok.status()).isEqualTo(SecondFactorResult.Status.ACCEPTED);
        for (int i = 0; i < 9; i++) g.verifySecondFactor("ann@example.com", from, () -> false);
        assertThat(g.lockStatus("ann@example.com").secondFactorLocked()).isFalse();
    }

    @Test
    void secondFactorIsRateLimitedPerAccountWithoutRunningTheCheck() {
        LoginGuard g = guard(b -> b.limit(LimitKind.LOGIN_PER_ACCOUNT, 2, Duration.ofMinutes(1)));
        InetAddress from = ip("192.0.2.1");
        g.verifySecondFactor("ann@example.com", from, () -> false);
        g.verifySecondFactor("ann@example.com", from, () -> false);
        boolean[] ran = {false};
        SecondFactorResult limited = g.verifySecondFactor("ann@example.com", from, () -> ran[0] = true);
        assertThat(limited.status()).isEqualTo(SecondFactorResult.Status.RATE_LIMITED);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ran[0]).isFalse();
        assertThat(events(SecurityEvent.RateLimited.class)).singleElement().satisfies(e -> {
            assertThat(e.subject()).isEqualTo("mfa:ann@example.com");
            assertThat(e.limit()).isEqualTo("LOGIN_PER_ACCOUNT");
        });
        // The password login of the same account has its own bucket.
        assertThat(login(g, "ann@example.com", PASSWORD, "192.0.2.1", null).succeeded()).isTrue();
    }

    @Test
    void passwordResetIsLimitedPerAddressAcrossAccounts() {
        LoginGuard g = guard(b -> b.limit(LimitKind.PASSWORD_RESET_PER_IP, 2, Duration.ofHours(1)));
        InetAddress from = ip("192.0.2.1");
        assertThat(g.allowPasswordReset("a@example.com", from).allowed()).isTrue();
        assertThat(g.allowPasswordReset("b@example.com", from).allowed()).isTrue();
        RateLimitDecision d = g.allowPasswordReset("c@example.com", from);
        assertThat(d.allowed()).isFalse();
        assertThat(events(SecurityEvent.RateLimited.class)).singleElement().satisfies(e -> {
            assertThat(e.limit()).isEqualTo("PASSWORD_RESET_PER_IP");
            assertThat(e.subject()).isEqualTo("192.0.2.1");
        });
        assertThat(g.allowPasswordReset("c@example.com", ip("192.0.2.2")).allowed()).isTrue();
    }

    @Test
    void accountLimitRefusalNamesTheAccountAndEmptyAccountsShareOneBucket() {
        LoginGuard g = guard(b -> b.limit(LimitKind.EMAIL_VERIFICATION_PER_ACCOUNT, 1, Duration.ofHours(1)));
        InetAddress from = ip("192.0.2.1");
        assertThat(g.allowEmailVerification(" ", from).allowed()).isTrue();
        assertThat(g.allowEmailVerification(null, from).allowed()).isFalse();
        assertThat(g.allowEmailVerification("Ann@example.com", from).allowed()).isTrue();
        assertThat(g.allowEmailVerification("ann@example.com", from).allowed()).isFalse();
        assertThat(events(SecurityEvent.RateLimited.class)).extracting(SecurityEvent.RateLimited::subject)
                .containsExactly("", "ann@example.com");
        assertThat(events(SecurityEvent.RateLimited.class)).extracting(SecurityEvent.RateLimited::limit)
                .containsOnly("EMAIL_VERIFICATION_PER_ACCOUNT");
    }

    @Test
    void builderRefusesWeakCookieKeysAndOddLifetimes() {
        assertThatThrownBy(() -> LoginGuard.builder().deviceCookieKey(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginGuard.builder().deviceCookieKey(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginGuard.builder().deviceCookieLifetime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginGuard.builder().deviceCookieLifetime(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginGuard.builder().deviceCookieLifetime(Duration.ofDays(401))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoginGuard.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThat(LoginGuard.builder().hasher(HASHER).deviceCookieLifetime(Duration.ofDays(400)).build().policy())
                .isEqualTo(LockoutPolicy.defaults());
    }

    @Test
    void shortDeviceCookieLifetimeIsHonoured() {
        RateLimiter generous = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                .limit(LimitKind.LOGIN_PER_ACCOUNT, 10_000, Duration.ofMinutes(1)).build();
        LoginGuard g = LoginGuard.builder().hasher(HASHER).clock(clock).events(events::add).deviceCookieKey(new byte[32])
                .rateLimiter(generous).deviceCookieLifetime(Duration.ofHours(1)).build();
        String cookie = login(g, "ann@example.com", PASSWORD, "192.0.2.1", null).verified().orElseThrow().deviceCookie();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        for (int i = 0; i < 10; i++) login(g, "ann@example.com", "wrong", "203.0.113.66", null);
        assertThat(login(g, "ann@example.com", PASSWORD, "192.0.2.1", cookie).succeeded()).as("expired cookie").isFalse();
    }
}
