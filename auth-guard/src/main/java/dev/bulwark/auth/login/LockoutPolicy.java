package dev.bulwark.auth.login;

import java.time.Duration;
import java.time.Instant;

/**
 * When repeated failures lock an account, and for how long.
 *
 * @param threshold            failures that lock (default 10): the 10th consecutive failure locks
 * @param lockDuration         first lockout's length (default 30 minutes)
 * @param escalationFactor     each further lockout within {@code escalationReset} lasts this many times longer
 *                             (default 2; 1 disables escalation)
 * @param maxLockDuration      cap on an escalated lockout (default 24 hours)
 * @param failureWindow        failures older than this are forgotten (default 24 hours)
 * @param escalationReset      a lockout this long after the previous one starts escalation afresh (default 7 days)
 * @param permanentAfter       lockouts after which the account stays locked until an admin unlocks it;
 *                             0 (the default) means never
 */
public record LockoutPolicy(int threshold, Duration lockDuration, int escalationFactor, Duration maxLockDuration,
                            Duration failureWindow, Duration escalationReset, int permanentAfter) {

    /** Stands for "until an administrator unlocks" (kept within every database's time range). */
    public static final Instant PERMANENT = Instant.parse("9999-12-31T00:00:00Z");

    public LockoutPolicy {
        if (threshold < 3 || threshold > 1000) throw new IllegalArgumentException("threshold must be within 3..1000");
        positive(lockDuration, "lockDuration");
        positive(maxLockDuration, "maxLockDuration");
        positive(failureWindow, "failureWindow");
        positive(escalationReset, "escalationReset");
        if (escalationFactor < 1 || escalationFactor > 10) throw new IllegalArgumentException("escalationFactor must be within 1..10");
        if (maxLockDuration.compareTo(lockDuration) < 0) throw new IllegalArgumentException("maxLockDuration is shorter than lockDuration");
        if (permanentAfter < 0) throw new IllegalArgumentException("permanentAfter must not be negative");
    }

    public static LockoutPolicy defaults() {
        return new LockoutPolicy(10, Duration.ofMinutes(30), 2, Duration.ofHours(24), Duration.ofHours(24), Duration.ofDays(7), 0);
    }

    public LockoutPolicy withThreshold(int n) {
        return new LockoutPolicy(n, lockDuration, escalationFactor, maxLockDuration, failureWindow, escalationReset, permanentAfter);
    }

    public LockoutPolicy withLockDuration(Duration d) {
        return new LockoutPolicy(threshold, d, escalationFactor, maxLockDuration.compareTo(d) < 0 ? d : maxLockDuration,
                failureWindow, escalationReset, permanentAfter);
    }

    public LockoutPolicy withEscalation(int factor, Duration max) {
        return new LockoutPolicy(threshold, lockDuration, factor, max, failureWindow, escalationReset, permanentAfter);
    }

    public LockoutPolicy withPermanentAfter(int lockouts) {
        return new LockoutPolicy(threshold, lockDuration, escalationFactor, maxLockDuration, failureWindow, escalationReset, lockouts);
    }

    /** Length of the n-th lockout (1-based) in one escalation run. */
    public Duration durationOf(int lockoutNumber) {
        Duration d = lockDuration;
        for (int i = 1; i < lockoutNumber && d.compareTo(maxLockDuration) < 0; i++) d = d.multipliedBy(escalationFactor);
        return d.compareTo(maxLockDuration) > 0 ? maxLockDuration : d;
    }

    /** The state after one more failure at {@code now}. */
    AttemptState afterFailure(AttemptState s, Instant now) {
        int lockouts = s.lockouts();
        Instant lastLockout = s.lastLockoutAt();
        if (lockouts > 0 && lastLockout.plus(escalationReset).isBefore(now) && !s.lockedAt(now)) {
            lockouts = 0;
            lastLockout = Instant.EPOCH;
        }
        int failures = s.failures();
        Instant first = s.firstFailureAt();
        if (failures == 0 || first.plus(failureWindow).isBefore(now)) {
            failures = 0;
            first = now;
        }
        failures++;
        if (failures >= threshold) {
            lockouts++;
            Instant until = permanentAfter > 0 && lockouts >= permanentAfter ? PERMANENT : now.plus(durationOf(lockouts));
            return new AttemptState(0, Instant.EPOCH, until, lockouts, now);
        }
        return new AttemptState(failures, first, s.lockedUntil(), lockouts, lastLockout);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
