package dev.bulwark.auth.login;

import java.time.Instant;

/** An administrator's view of an account's lockout state (never shown to the client). */
public record LockStatus(boolean passwordLocked, boolean secondFactorLocked, Instant lockedUntil, int failures, int lockouts) {
}
