package dev.bulwark.auth.event;

import java.time.Instant;

/**
 * A typed security-relevant event, delivered to a {@link SecurityEventListener}. Events carry identifiers
 * (account key, key id, client address) and never a password, token, code, key or hash.
 */
public sealed interface SecurityEvent {

    Instant at();

    /** A short stable name for logs and metrics, e.g. {@code login.failed}. */
    String type();

    /** Why a login was refused (for the application's logs; the client always gets the same answer). */
    enum FailureReason { WRONG_PASSWORD, UNKNOWN_ACCOUNT, ACCOUNT_LOCKED, UNREADABLE_STORED_HASH }

    /** A password login was refused. */
    record LoginFailed(Instant at, String account, String clientAddress, FailureReason reason) implements SecurityEvent {
        public String type() { return "login.failed"; }
    }

    /** An account (or a device cookie) was locked after repeated failures. The owner should be told. */
    record AccountLocked(Instant at, String account, String clientAddress, Instant lockedUntil, int lockoutCount,
                         boolean secondFactor, boolean knownAccount) implements SecurityEvent {
        public String type() { return "account.locked"; }
    }

    /** An administrator (or the owner after a reset) lifted a lockout. */
    record AccountUnlocked(Instant at, String account, String by) implements SecurityEvent {
        public String type() { return "account.unlocked"; }
    }

    /** A rate limit refused a request. {@code limit} names it, e.g. {@code LOGIN_PER_IP}. */
    record RateLimited(Instant at, String limit, String subject, String clientAddress) implements SecurityEvent {
        public String type() { return "rate.limited"; }
    }

    /** A second-factor (TOTP or recovery code) check failed. */
    record MfaFailed(Instant at, String account, String clientAddress) implements SecurityEvent {
        public String type() { return "mfa.failed"; }
    }

    /** An account logged in from an address it has not used before. */
    record NewAddressForAccount(Instant at, String account, String clientAddress) implements SecurityEvent {
        public String type() { return "login.new_address"; }
    }

    /** An API key was presented but refused (revoked, expired, wrong secret, insufficient scope). */
    record ApiKeyMisuse(Instant at, String keyId, String reason, String clientAddress) implements SecurityEvent {
        public String type() { return "api_key.misuse"; }
    }
}
