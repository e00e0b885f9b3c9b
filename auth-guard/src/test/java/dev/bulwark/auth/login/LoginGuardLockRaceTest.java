package dev.bulwark.auth.login;

import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.password.Argon2idParameters;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimiter;
import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attempts in flight when an account locks: each read "not locked" before its (slow) verification, so without a
 * re-check they all counted once the lock was set, leaving failures on the locked counter (the next lockout came
 * after fewer than the threshold) or escalating the lock at once. Found by the reference app's login flood.
 */
class LoginGuardLockRaceTest {
    static final PasswordHasher HASHER = PasswordHasher.builder().parameters(Argon2idParameters.of(256, 1, 1)).threads(2).build();
    static final String PASSWORD = "Correct-Horse-7";
    static final String HASH = HASHER.hash(PASSWORD);
    static final int THRESHOLD = 3;
    static final int RACERS = 4; // more than the threshold: without the re-check the racers alone lock a second time

    @AfterAll
    static void close() {
        HASHER.close();
    }

    /** An in-memory store whose reads of one key wait until {@code parties} readers arrived, once armed. */
    static final class RacingStore implements LoginStateStore {
        final InMemoryLoginStateStore inner = new InMemoryLoginStateStore();
        volatile CyclicBarrier barrier;
        volatile String key;

        void arm(String key, int parties) {
            this.key = key;
            this.barrier = new CyclicBarrier(parties);
        }

        @Override
        public AttemptState get(String k) {
            AttemptState s = inner.get(k);
            CyclicBarrier b = barrier;
            if (b != null && k.equals(key)) {
                try {
                    b.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return s;
        }

        @Override
        public AttemptState update(String k, UnaryOperator<AttemptState> update) {
            return inner.update(k, update);
        }

        @Override
        public void delete(String k) {
            inner.delete(k);
        }

        @Override
        public AddressHistory rememberAddress(String account, String address, Instant now) {
            return inner.rememberAddress(account, address, now);
        }
    }

    final MutableClock clock = MutableClock.at("2026-04-01T08:00:00Z");
    final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    final RacingStore store = new RacingStore();
    final LoginGuard guard = LoginGuard.builder().hasher(HASHER).store(store).clock(clock).events(events::add)
            .rateLimiter(RateLimiter.builder().clock(clock).limit(LimitKind.LOGIN_PER_IP, 10_000, Duration.ofMinutes(1))
                    .limit(LimitKind.LOGIN_PER_ACCOUNT, 10_000, Duration.ofMinutes(1)).build())
            .lockout(LockoutPolicy.defaults().withThreshold(THRESHOLD)).deviceCookieKey(new byte[32]).build();

    LoginResult login(String password) {
        try {
            return guard.login(new LoginAttempt("ann@example.com", password, IpAddresses.parse("203.0.113.7"), null),
                    Optional.of(new StoredCredential("user-ann", HASH)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void concurrently(int n, Runnable r) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(r);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join(20_000);
    }

    @Test
    void attemptsRacingTheLockAreNotCountedAgainstTheLockedAccount() throws Exception {
        for (int i = 0; i < THRESHOLD - 1; i++) login("wrong");
        store.arm("pw:ann@example.com", RACERS);
        concurrently(RACERS, () -> assertThat(login("wrong").succeeded()).isFalse());
        store.barrier = null;

        LockStatus st = guard.lockStatus("ann@example.com");
        assertThat(st.passwordLocked()).isTrue();
        assertThat(st.lockouts()).as("one lockout, not escalated by the racers").isEqualTo(1);
        assertThat(st.failures()).as("no failure counted while locked").isZero();
        assertThat(st.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(events.stream().filter(SecurityEvent.AccountLocked.class::isInstance)).hasSize(1);

        // After the lock, the next lockout again takes exactly the threshold.
        clock.advance(Duration.ofMinutes(30));
        for (int i = 0; i < THRESHOLD - 1; i++) login("wrong");
        assertThat(guard.lockStatus("ann@example.com").passwordLocked()).isFalse();
        login("wrong");
        assertThat(guard.lockStatus("ann@example.com").passwordLocked()).isTrue();
    }

    @Test
    void secondFactorAttemptsRacingTheLockAreNotCounted() throws Exception {
        var address = IpAddresses.parse("203.0.113.7");
        for (int i = 0; i < THRESHOLD - 1; i++) guard.verifySecondFactor("ann@example.com", address, () -> false);
        store.arm("mfa:ann@example.com", RACERS);
        concurrently(RACERS, () -> guard.verifySecondFactor("ann@example.com", address, () -> false));
        store.barrier = null;

        LockStatus st = guard.lockStatus("ann@example.com");
        assertThat(st.secondFactorLocked()).isTrue();
        assertThat(store.inner.get("mfa:ann@example.com").failures()).as("no failure counted while locked").isZero();
        assertThat(store.inner.get("mfa:ann@example.com").lockouts()).isEqualTo(1);
    }
}
