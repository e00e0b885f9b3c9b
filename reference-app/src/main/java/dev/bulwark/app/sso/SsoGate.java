package dev.bulwark.app.sso;

import dev.bulwark.app.platform.Config;
import dev.bulwark.auth.login.AttemptState;
import dev.bulwark.auth.login.LockoutPolicy;
import dev.bulwark.auth.login.LoginStateStore;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.ratelimit.RateLimiter;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The same gates as password login, for single sign-on: per-client-address and per-account rate limits with the
 * app's configured numbers (BULWARK_LOGIN_LIMIT_PER_IP / _PER_ACCOUNT) on the app's rate-limit store (shared by every
 * node unless it is local), and for LDAP (where the app relays a password)
 * a failure counter with the app's lockout policy in auth-guard's login-state store, under its own key space
 * ({@code sso-ldap:<workspace>:<username>}), so a directory password cannot be guessed faster than an app password.
 */
final class SsoGate implements AutoCloseable {
    private final RateLimiter limiter;
    private final boolean ownsLimiter;
    private final LoginStateStore store;
    private final LockoutPolicy policy;

    /** A gate with its own in-memory limiter (one node; tests). */
    SsoGate(Config config, LoginStateStore store, LockoutPolicy policy) {
        this(RateLimiter.builder()
                .limit(LimitKind.LOGIN_PER_IP, config.loginLimitPerIp, Duration.ofMinutes(1))
                .limit(LimitKind.LOGIN_PER_ACCOUNT, config.loginLimitPerAccount, Duration.ofMinutes(1))
                .sweepInterval(Duration.ZERO).build(), true, store, policy); // idle buckets are evicted by SsoService's housekeeping
    }

    /**
     * A gate on the app's limiter (configured store, so the limits hold across nodes); its "sso:" subjects never share a
     * bucket with password login. The limiter stays open when the gate closes.
     */
    SsoGate(RateLimiter shared, LoginStateStore store, LockoutPolicy policy) {
        this(shared, false, store, policy);
    }

    private SsoGate(RateLimiter limiter, boolean ownsLimiter, LoginStateStore store, LockoutPolicy policy) {
        this.limiter = limiter;
        this.ownsLimiter = ownsLimiter;
        this.store = store;
        this.policy = policy;
    }

    /** One attempt from this client address; refused beyond the per-address limit. */
    RateLimitDecision fromAddress(String clientIp) {
        return limiter.tryConsume(LimitKind.LOGIN_PER_IP, "sso:" + clientIp);
    }

    /** One attempt for this account key; refused beyond the per-account limit. */
    RateLimitDecision forAccount(String accountKey) {
        return limiter.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "sso:" + accountKey.toLowerCase(Locale.ROOT));
    }

    static String ldapKey(String workspaceId, String username) {
        return "sso-ldap:" + workspaceId + ":" + username.strip().toLowerCase(Locale.ROOT);
    }

    boolean locked(String key, Instant now) {
        return store.get(key).lockedAt(now);
    }

    /** Counts a failure; returns true when this failure locked the key. */
    boolean failed(String key, Instant now) {
        AttemptState[] before = new AttemptState[1];
        AttemptState after = store.update(key, s -> {
            before[0] = s;
            return afterFailure(s, now);
        });
        return after.lockedAt(now) && !before[0].lockedAt(now);
    }

    void succeeded(String key) {
        store.delete(key);
    }

    /** The app's lockout policy applied to one more failure (same rules as auth-guard's password counter). */
    AttemptState afterFailure(AttemptState s, Instant now) {
        int lockouts = s.lockouts();
        Instant lastLockout = s.lastLockoutAt();
        if (lockouts > 0 && lastLockout.plus(policy.escalationReset()).isBefore(now) && !s.lockedAt(now)) {
            lockouts = 0;
            lastLockout = Instant.EPOCH;
        }
        int failures = s.failures();
        Instant first = s.firstFailureAt();
        if (failures == 0 || first.plus(policy.failureWindow()).isBefore(now)) {
            failures = 0;
            first = now;
        }
        failures++;
        if (failures >= policy.threshold()) {
            lockouts++;
            Instant until = policy.permanentAfter() > 0 && lockouts >= policy.permanentAfter()
                    ? LockoutPolicy.PERMANENT : now.plus(policy.durationOf(lockouts));
            return new AttemptState(0, Instant.EPOCH, until, lockouts, now);
        }
        return new AttemptState(failures, first, s.lockedUntil(), lockouts, lastLockout);
    }

    void evictIdle() {
        limiter.evictIdle();
    }

    @Override
    public void close() {
        if (ownsLimiter) limiter.close();
    }
}
