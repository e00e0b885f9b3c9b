package dev.bulwark.auth.login;

import dev.bulwark.auth.Backing;
import dev.bulwark.testkit.MutableClock;
import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.password.Argon2idParameters;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimiter;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Lockout, enumeration resistance, device cookies and MFA counting, on the in-memory, H2 and PostgreSQL stores. */
class LoginGuardIT {
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(256, 1, 1)).threads(2).build();
    static final String PASSWORD = "Correct-Horse-7";
    static final String HASH = HASHER.hash(PASSWORD);
    static final byte[] COOKIE_KEY = new byte[32];

    @AfterAll
    static void close() {
        HASHER.close();
    }

    /** A guard on one backing with a controllable clock, recorded events and generous rate limits. */
    static final class Rig implements AutoCloseable {
        final Backing.Opened opened;
        final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
        final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
        final LoginStateStore store;
        final LoginGuard guard;

        Rig(Backing backing, UnaryOperator<LockoutPolicy> policy) {
            opened = backing.open();
            store = opened.inMemory() ? new InMemoryLoginStateStore() : new JdbcLoginStateStore(opened.dataSource());
            RateLimiter limiter = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                    .limit(LimitKind.LOGIN_PER_IP, 10_000, Duration.ofMinutes(1))
                    .limit(LimitKind.LOGIN_PER_ACCOUNT, 10_000, Duration.ofMinutes(1)).build();
            guard = LoginGuard.builder().hasher(HASHER).store(store).rateLimiter(limiter).clock(clock)
                    .lockout(policy.apply(LockoutPolicy.defaults())).deviceCookieKey(COOKIE_KEY).events(events::add).build();
        }

        LoginResult login(String account, String password, String ip, String cookie, boolean known) {
            return guard.login(new LoginAttempt(account, password, addr(ip), cookie),
                    known ? Optional.of(new StoredCredential("user-" + account, HASH)) : Optional.empty());
        }

        LoginResult login(String account, String password) {
            return login(account, password, "203.0.113.7", null, true);
        }

        <T extends SecurityEvent> List<T> events(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        @Override
        public void close() {
            opened.close();
        }
    }

    static InetAddress addr(String ip) {
        try {
            return IpAddresses.parse(ip);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void exactlyTheConfiguredNumberOfFailuresLocks(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 9; i++) assertThat(r.login("ann@example.com", "wrong").status()).isEqualTo(LoginResult.Status.DENIED);
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue(); // 9 failures: not locked
        }
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong");
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isTrue();
            LoginResult locked = r.login("ann@example.com", PASSWORD);
            assertThat(locked.status()).isEqualTo(LoginResult.Status.DENIED);
            assertThat(r.events(SecurityEvent.AccountLocked.class)).singleElement().satisfies(e -> {
                assertThat(e.account()).isEqualTo("ann@example.com");
                assertThat(e.lockedUntil()).isEqualTo(r.clock.instant().plus(Duration.ofMinutes(30)));
                assertThat(e.knownAccount()).isTrue();
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void lockedAccountAnswersExactlyLikeAWrongPassword(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            LoginResult wrong = r.login("ann@example.com", "wrong");
            for (int i = 0; i < 9; i++) r.login("ann@example.com", "wrong");
            LoginResult lockedRight = r.login("ann@example.com", PASSWORD);
            assertThat(lockedRight.status()).isEqualTo(wrong.status());
            assertThat(lockedRight.userMessage()).isEqualTo(wrong.userMessage());
            assertThat(lockedRight.verified()).isEmpty();
            assertThat(r.events(SecurityEvent.LoginFailed.class)).last()
                    .extracting(SecurityEvent.LoginFailed::reason).isEqualTo(SecurityEvent.FailureReason.ACCOUNT_LOCKED);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void lockExpiresAfterTheDuration(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong");
            r.clock.advance(Duration.ofMinutes(29));
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isFalse();
            r.clock.advance(Duration.ofMinutes(1));
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void successResetsTheFailureCounter(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 9; i++) r.login("ann@example.com", "wrong");
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue();
            assertThat(r.guard.lockStatus("ann@example.com").failures()).isZero();
            for (int i = 0; i < 9; i++) r.login("ann@example.com", "wrong");
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void unknownAndKnownAccountsGiveIdenticalResults(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            List<String> known = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                LoginResult k = r.login("ann@example.com", "guess" + i, "198.51.100.1", null, true);
                LoginResult u = r.login("nobody@example.com", "guess" + i, "198.51.100.1", null, false);
                known.add(k.status() + "|" + k.userMessage() + "|" + k.retryAfter());
                unknown.add(u.status() + "|" + u.userMessage() + "|" + u.retryAfter());
            }
            assertThat(unknown).isEqualTo(known);
            LockStatus ks = r.guard.lockStatus("ann@example.com");
            LockStatus us = r.guard.lockStatus("nobody@example.com");
            assertThat(us).isEqualTo(ks);
            assertThat(us.passwordLocked()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void accountIdentifierVariantsShareOneCounter(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 5; i++) r.login("Ann@Example.com", "wrong");
            for (int i = 0; i < 5; i++) r.login("  ann@example.COM ", "wrong");
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void deviceCookieLetsTheOwnerInWhileAttackersLockTheAccount(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            String cookie = r.login("ann@example.com", PASSWORD, "192.0.2.10", null, true).verified().orElseThrow().deviceCookie();
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong", "203.0.113.66", null, true);
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isTrue();
            // Attacker with the right password but no cookie is refused; the owner's browser gets in.
            assertThat(r.login("ann@example.com", PASSWORD, "203.0.113.66", null, true).succeeded()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.10", cookie, true).succeeded()).isTrue();
            // The account stays locked for everyone else.
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void deviceCookieFailuresLockOnlyThatCookie(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            String cookie = r.login("ann@example.com", PASSWORD).verified().orElseThrow().deviceCookie();
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong", "203.0.113.66", null, true);
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong", "192.0.2.10", cookie, true);
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.10", cookie, true).succeeded()).isFalse();
            String other = r.guard.toString(); // no secrets in toString
            assertThat(other).doesNotContain(cookie);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void forgedOrForeignDeviceCookieDoesNotBypassTheLock(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            String bobCookie = r.login("bob@example.com", PASSWORD).verified().orElseThrow().deviceCookie();
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong");
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.10", bobCookie, true).succeeded()).isFalse();
            String tampered = bobCookie.substring(0, bobCookie.length() - 2) + (bobCookie.endsWith("AA") ? "AB" : "AA");
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.10", tampered, true).succeeded()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.10", "v1.garbage", true).succeeded()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void repeatedLockoutsEscalateButAreNeverPermanentByDefault(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            Duration expected = Duration.ofMinutes(30);
            for (int round = 1; round <= 8; round++) {
                for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong");
                SecurityEvent.AccountLocked e = r.events(SecurityEvent.AccountLocked.class).get(round - 1);
                assertThat(e.lockoutCount()).isEqualTo(round);
                assertThat(Duration.between(r.clock.instant(), e.lockedUntil())).isEqualTo(expected);
                r.clock.advance(expected);
                expected = expected.multipliedBy(2).compareTo(Duration.ofHours(24)) > 0 ? Duration.ofHours(24) : expected.multipliedBy(2);
            }
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void adminUnlockLiftsTheLockAndEmitsAnEvent(Backing backing) {
        try (Rig r = new Rig(backing, p -> p.withPermanentAfter(1))) {
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "wrong");
            r.clock.advance(Duration.ofDays(30));
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isFalse(); // permanent when configured
            r.guard.unlock("ann@example.com", "admin:carol");
            assertThat(r.login("ann@example.com", PASSWORD).succeeded()).isTrue();
            assertThat(r.events(SecurityEvent.AccountUnlocked.class)).singleElement()
                    .extracting(SecurityEvent.AccountUnlocked::by).isEqualTo("admin:carol");
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void mfaFailuresAreCountedSeparatelyFromPasswordFailures(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            InetAddress ip = addr("192.0.2.10");
            for (int i = 0; i < 9; i++) r.login("ann@example.com", "wrong");
            for (int i = 0; i < 9; i++) assertThat(r.guard.verifySecondFactor("ann@example.com", ip, () -> false).accepted()).isFalse();
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isFalse();
            assertThat(r.guard.lockStatus("ann@example.com").secondFactorLocked()).isFalse();
            assertThat(r.guard.verifySecondFactor("ann@example.com", ip, () -> false).accepted()).isFalse();
            assertThat(r.guard.lockStatus("ann@example.com").secondFactorLocked()).isTrue();
            assertThat(r.guard.lockStatus("ann@example.com").passwordLocked()).isFalse();
            boolean[] ran = {false};
            assertThat(r.guard.verifySecondFactor("ann@example.com", ip, () -> ran[0] = true).accepted()).isFalse();
            assertThat(ran[0]).as("check is not run while locked").isFalse();
            assertThat(r.events(SecurityEvent.MfaFailed.class)).hasSize(11);
            assertThat(r.events(SecurityEvent.AccountLocked.class)).singleElement().extracting(SecurityEvent.AccountLocked::secondFactor).isEqualTo(true);
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void legacyHashIsUpgradedOnSuccessfulLogin(Backing backing) throws Exception {
        try (Rig r = new Rig(backing, p -> p)) {
            String bcrypt = OpenBSDBCrypt.generate("2b", PASSWORD.toCharArray(), new byte[16], 4);
            LoginResult res = r.guard.login(new LoginAttempt("old@example.com", PASSWORD, addr("192.0.2.1")),
                    Optional.of(new StoredCredential("u-old", bcrypt)));
            String upgraded = res.verified().orElseThrow().upgradedPasswordHash().orElseThrow();
            assertThat(upgraded).startsWith("$argon2id$");
            assertThat(HASHER.verify(PASSWORD, upgraded).needsRehash()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD).verified().orElseThrow().upgradedPasswordHash()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void loginFromANewAddressIsReported(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.1", null, true).verified().orElseThrow().fromNewAddress()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD, "192.0.2.1", null, true).verified().orElseThrow().fromNewAddress()).isFalse();
            assertThat(r.login("ann@example.com", PASSWORD, "2001:db8::9", null, true).verified().orElseThrow().fromNewAddress()).isTrue();
            assertThat(r.events(SecurityEvent.NewAddressForAccount.class)).singleElement()
                    .extracting(SecurityEvent.NewAddressForAccount::clientAddress).isEqualTo("2001:db8:0:0:0:0:0:9");
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void noEventCarriesThePassword(Backing backing) {
        try (Rig r = new Rig(backing, p -> p)) {
            for (int i = 0; i < 10; i++) r.login("ann@example.com", "hunter2-secret");
            r.login("ann@example.com", PASSWORD);
            assertThat(r.events).isNotEmpty();
            assertThat(r.events).allSatisfy(e -> assertThat(e.toString()).doesNotContain("hunter2").doesNotContain(PASSWORD).doesNotContain("$argon2id$"));
        }
    }

    @ParameterizedTest
    @EnumSource(Backing.class)
    void concurrentFailuresAreNeverLost(Backing backing) throws Exception {
        try (Rig r = new Rig(backing, p -> p.withThreshold(40))) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 5; i++) r.store.update("pw:race@example.com", s -> r.guard.policy().afterFailure(s, r.clock.instant()));
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) th.join();
            assertThat(r.store.get("pw:race@example.com").failures()).isEqualTo(20);
        }
    }
}
