package dev.bulwark.auth.login;

import java.time.Instant;

/**
 * Failure counter and lockout state of one key ({@code pw:<account>}, {@code mfa:<account>} or a device cookie).
 *
 * @param failures       failures since the counter last restarted
 * @param firstFailureAt when the current run of failures started (epoch 0 if none)
 * @param lockedUntil    end of the current lockout (epoch 0 if never locked)
 * @param lockouts       lockouts in the current escalation run (drives exponential back-off)
 * @param lastLockoutAt  when the most recent lockout started (epoch 0 if never)
 */
public record AttemptState(int failures, Instant firstFailureAt, Instant lockedUntil, int lockouts, Instant lastLockoutAt) {
    public static final AttemptState EMPTY = new AttemptState(0, Instant.EPOCH, Instant.EPOCH, 0, Instant.EPOCH);

    public boolean lockedAt(Instant now) {
        return lockedUntil.isAfter(now);
    }

    public boolean isEmpty() {
        return failures == 0 && lockouts == 0 && !lockedUntil.isAfter(Instant.EPOCH);
    }
}
