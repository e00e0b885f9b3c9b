package dev.bulwark.auth.login;

import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.event.SecurityEvent.FailureReason;
import dev.bulwark.auth.event.SecurityEventListener;
import dev.bulwark.auth.event.Slf4jSecurityEventListener;
import dev.bulwark.auth.net.IpAddresses;
import dev.bulwark.auth.password.InvalidPasswordHashException;
import dev.bulwark.auth.password.PasswordHasher;
import dev.bulwark.auth.password.PasswordHashingException;
import dev.bulwark.auth.password.PasswordVerification;
import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimitDecision;
import dev.bulwark.auth.ratelimit.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The login flow's guard: rate limits, per-account lockout with escalation, password verification (with rehash on
 * upgrade), device cookies, second-factor failure counting and security events.
 *
 * <p>Guarantees: an unknown account takes the same path (a verification against a dummy hash at the current
 * parameters) and gets the same answer as a known one with a wrong password, and its counters lock the same way;
 * a locked account answers exactly like a wrong password; a browser holding a valid device cookie for the account
 * can still sign in with the right password while failures from elsewhere lock the account; password and
 * second-factor failures are counted separately; no lockout is permanent unless configured.
 *
 * <pre>{@code
 * LoginGuard guard = LoginGuard.builder()
 *         .hasher(hasher).store(new JdbcLoginStateStore(ds)).rateLimiter(limiter)
 *         .deviceCookieKey(secret32Bytes).events(mailer.andThen(new Slf4jSecurityEventListener()))
 *         .build();
 * LoginResult r = guard.login(new LoginAttempt(email, password, clientIp, cookie), users.credentialOf(email));
 * }</pre>
 */
public final class LoginGuard {
    private static final Logger LOG = LoggerFactory.getLogger(LoginGuard.class);
    static final int MAX_ACCOUNT_LENGTH = 320;

    private final PasswordHasher hasher;
    private final LoginStateStore store;
    private final RateLimiter limiter;
    private final LockoutPolicy policy;
    private final SecurityEventListener events;
    private final Clock clock;
    private final DeviceCookies cookies;

    private LoginGuard(Builder b) {
        this.hasher = b.hasher;
        this.store = b.store;
        this.limiter = b.limiter;
        this.policy = b.policy;
        this.events = b.events;
        this.clock = b.clock;
        byte[] key = b.deviceCookieKey;
        if (key == null) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
            LOG.info("no device-cookie key configured: using a random per-process key (cookies will not survive a restart or work across nodes)");
        }
        this.cookies = new DeviceCookies(key, b.deviceCookieLifetime, clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks one password login. {@code credential} is empty when no account has this identifier: the attempt then
     * takes the same path and time and gets the same answer as a wrong password.
     *
     * @throws PasswordHashingException with reason OVERLOADED when the hashing queue is full (answer HTTP 503)
     */
    public LoginResult login(LoginAttempt attempt, Optional<StoredCredential> credential) {
        Objects.requireNonNull(credential, "credential");
        Instant now = clock.instant();
        String account = normalise(attempt.account());
        String ip = IpAddresses.format(attempt.clientAddress());
        boolean accountUsable = account.length() <= MAX_ACCOUNT_LENGTH && !account.isEmpty();
        Optional<String> device = accountUsable ? cookies.validId(attempt.deviceCookie(), account) : Optional.empty();

        RateLimitDecision d = limiter.tryConsume(LimitKind.LOGIN_PER_IP, ip);
        if (!d.allowed()) return rateLimited(LimitKind.LOGIN_PER_IP, ip, ip, now, d);
        if (accountUsable && device.isEmpty()) {
            d = limiter.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, account);
            if (!d.allowed()) return rateLimited(LimitKind.LOGIN_PER_ACCOUNT, account, ip, now, d);
        }

        String accountKey = "pw:" + account;
        String deviceKey = device.map(id -> "dev:" + sha256(id)).orElse(null);
        AttemptState accountState = accountUsable ? store.get(accountKey) : AttemptState.EMPTY;
        boolean accountLocked = accountState.lockedAt(now);
        boolean viaDevice = accountLocked && deviceKey != null;
        boolean locked = accountLocked && (!viaDevice || store.get(deviceKey).lockedAt(now));

        // Always do the full verification, so locked, unknown and known accounts cost the same.
        boolean matches = false;
        boolean rehash = false;
        FailureReason reason = credential.isPresent() ? FailureReason.WRONG_PASSWORD : FailureReason.UNKNOWN_ACCOUNT;
        try {
            if (credential.isPresent()) {
                PasswordVerification v = hasher.verify(attempt.password(), credential.get().passwordHash());
                matches = v.matches();
                rehash = v.needsRehash();
            } else {
                hasher.verifyDummy(attempt.password());
            }
        } catch (InvalidPasswordHashException e) {
            LOG.error("stored password hash of an account is unreadable ({}): {}", e.reason(), e.getMessage());
            reason = FailureReason.UNREADABLE_STORED_HASH;
        } catch (PasswordHashingException e) {
            if (e.reason() == PasswordHashingException.Reason.OVERLOADED || e.reason() == PasswordHashingException.Reason.CLOSED
                    || e.reason() == PasswordHashingException.Reason.INTERRUPTED
                    || e.reason() == PasswordHashingException.Reason.PEPPER_UNAVAILABLE) throw e;
            // empty or over-long password: cannot be right
        }
        if (!accountUsable) {
            emit(new SecurityEvent.LoginFailed(now, truncate(account), ip, FailureReason.UNKNOWN_ACCOUNT));
            return LoginResult.denied();
        }
        if (locked) {
            emit(new SecurityEvent.LoginFailed(now, account, ip, FailureReason.ACCOUNT_LOCKED));
            return LoginResult.denied();
        }
        String counterKey = viaDevice ? deviceKey : accountKey;
        if (!matches) {
            AttemptState[] before = new AttemptState[1];
            AttemptState after = store.update(counterKey, s -> {
                before[0] = s;
                return countFailure(s, now);
            });
            emit(new SecurityEvent.LoginFailed(now, account, ip, reason));
            if (after.lockedAt(now) && !before[0].lockedAt(now)) {
                emit(new SecurityEvent.AccountLocked(now, viaDevice ? account + " (device)" : account, ip, after.lockedUntil(),
                        after.lockouts(), false, credential.isPresent()));
            }
            return LoginResult.denied();
        }
        store.delete(counterKey);
        LoginStateStore.AddressHistory history = store.rememberAddress(account, ip, now);
        boolean newAddress = history == LoginStateStore.AddressHistory.NEW;
        if (newAddress) emit(new SecurityEvent.NewAddressForAccount(now, account, ip));
        String upgraded = rehash ? hasher.hash(attempt.password()) : null;
        return LoginResult.success(new VerifiedLogin(account, credential.get().userId(), upgraded, cookies.issue(account), newAddress));
    }

    /**
     * Runs a second-factor check (e.g. {@code () -> totp.verify(...)}) under its own failure counter and lockout,
     * separate from the password counter. The check is not run while the second factor is locked or rate-limited.
     */
    public SecondFactorResult verifySecondFactor(String account, InetAddress clientAddress, BooleanSupplier check) {
        Instant now = clock.instant();
        String acct = normalise(account);
        String ip = IpAddresses.format(clientAddress);
        RateLimitDecision d = limiter.tryConsume(LimitKind.LOGIN_PER_ACCOUNT, "mfa:" + acct);
        if (!d.allowed()) {
            emit(new SecurityEvent.RateLimited(now, LimitKind.LOGIN_PER_ACCOUNT.name(), "mfa:" + acct, ip));
            return new SecondFactorResult(SecondFactorResult.Status.RATE_LIMITED, d.retryAfter());
        }
        String key = "mfa:" + acct;
        if (store.get(key).lockedAt(now)) {
            emit(new SecurityEvent.MfaFailed(now, acct, ip));
            return new SecondFactorResult(SecondFactorResult.Status.DENIED, Duration.ZERO);
        }
        if (check.getAsBoolean()) {
            store.delete(key);
            return new SecondFactorResult(SecondFactorResult.Status.ACCEPTED, Duration.ZERO);
        }
        AttemptState[] before = new AttemptState[1];
        AttemptState after = store.update(key, s -> {
            before[0] = s;
            return countFailure(s, now);
        });
        emit(new SecurityEvent.MfaFailed(now, acct, ip));
        if (after.lockedAt(now) && !before[0].lockedAt(now)) {
            emit(new SecurityEvent.AccountLocked(now, acct, ip, after.lockedUntil(), after.lockouts(), true, true));
        }
        return new SecondFactorResult(SecondFactorResult.Status.DENIED, Duration.ZERO);
    }

    /** Rate-limits a password-reset request per client address and per account. */
    public RateLimitDecision allowPasswordReset(String account, InetAddress clientAddress) {
        return twoLimits(LimitKind.PASSWORD_RESET_PER_IP, LimitKind.PASSWORD_RESET_PER_ACCOUNT, account, clientAddress);
    }

    /** Rate-limits an e-mail verification request per client address and per account. */
    public RateLimitDecision allowEmailVerification(String account, InetAddress clientAddress) {
        return twoLimits(LimitKind.EMAIL_VERIFICATION_PER_IP, LimitKind.EMAIL_VERIFICATION_PER_ACCOUNT, account, clientAddress);
    }

    private RateLimitDecision twoLimits(LimitKind perIp, LimitKind perAccount, String account, InetAddress clientAddress) {
        Instant now = clock.instant();
        String acct = normalise(account);
        String ip = IpAddresses.format(clientAddress);
        RateLimitDecision d = limiter.tryConsume(perIp, ip);
        if (!d.allowed()) {
            emit(new SecurityEvent.RateLimited(now, perIp.name(), ip, ip));
            return d;
        }
        d = limiter.tryConsume(perAccount, acct.isEmpty() ? "-" : truncate(acct));
        if (!d.allowed()) emit(new SecurityEvent.RateLimited(now, perAccount.name(), truncate(acct), ip));
        return d;
    }

    /** Lifts password and second-factor lockouts of an account (admin action, or after a password reset). */
    public void unlock(String account, String by) {
        String acct = normalise(account);
        store.delete("pw:" + acct);
        store.delete("mfa:" + acct);
        emit(new SecurityEvent.AccountUnlocked(clock.instant(), acct, by));
    }

    /** The account's lockout state, for administrators. */
    public LockStatus lockStatus(String account) {
        String acct = normalise(account);
        Instant now = clock.instant();
        AttemptState pw = store.get("pw:" + acct);
        AttemptState mfa = store.get("mfa:" + acct);
        Instant until = pw.lockedUntil().isAfter(mfa.lockedUntil()) ? pw.lockedUntil() : mfa.lockedUntil();
        return new LockStatus(pw.lockedAt(now), mfa.lockedAt(now), until.isAfter(now) ? until : null, pw.failures(), pw.lockouts());
    }

    public LockoutPolicy policy() {
        return policy;
    }

    /**
     * One more failure, unless a concurrent attempt locked the counter after this one read it (the read happens before
     * the slow verification): attempts racing the lock must not count towards the next lockout or escalate this one.
     */
    private AttemptState countFailure(AttemptState s, Instant now) {
        return s.lockedAt(now) ? s : policy.afterFailure(s, now);
    }

    /** Account identifiers compare case-insensitively and without surrounding spaces, so variants share counters. */
    static String normalise(String account) {
        return account == null ? "" : account.strip().toLowerCase(Locale.ROOT);
    }

    private LoginResult rateLimited(LimitKind kind, String subject, String ip, Instant now, RateLimitDecision d) {
        emit(new SecurityEvent.RateLimited(now, kind.name(), truncate(subject), ip));
        return LoginResult.rateLimited(d.retryAfter());
    }

    private void emit(SecurityEvent e) {
        try {
            events.on(e);
        } catch (RuntimeException ex) {
            LOG.warn("security event listener failed for {}: {}", e.type(), ex.getClass().getSimpleName());
        }
    }

    private static String truncate(String s) {
        return s.length() > MAX_ACCOUNT_LENGTH ? s.substring(0, 64) + "…" : s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures a {@link LoginGuard}. Only the hasher is required; every other default is the secure one. */
    public static final class Builder {
        private PasswordHasher hasher;
        private LoginStateStore store;
        private RateLimiter limiter;
        private LockoutPolicy policy = LockoutPolicy.defaults();
        private SecurityEventListener events = new Slf4jSecurityEventListener();
        private Clock clock = Clock.systemUTC();
        private byte[] deviceCookieKey;
        private Duration deviceCookieLifetime = Duration.ofDays(180);

        private Builder() {}

        public Builder hasher(PasswordHasher hasher) {
            this.hasher = Objects.requireNonNull(hasher);
            return this;
        }

        /** Where counters live (default: in memory, single node). */
        public Builder store(LoginStateStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** Rate limits (default: local buckets with the documented defaults). */
        public Builder rateLimiter(RateLimiter limiter) {
            this.limiter = Objects.requireNonNull(limiter);
            return this;
        }

        public Builder lockout(LockoutPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** Security-event listener (default: {@link Slf4jSecurityEventListener}). */
        public Builder events(SecurityEventListener events) {
            this.events = Objects.requireNonNull(events);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** HMAC key (at least 32 bytes) for device cookies; share it between nodes. Default: random per process. */
        public Builder deviceCookieKey(byte[] key) {
            if (key == null || key.length < 32) throw new IllegalArgumentException("device cookie key must be at least 32 bytes");
            this.deviceCookieKey = key.clone();
            return this;
        }

        public Builder deviceCookieLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(Duration.ofDays(400)) > 0)
                throw new IllegalArgumentException("deviceCookieLifetime must be within 1 s..400 days");
            this.deviceCookieLifetime = lifetime;
            return this;
        }

        public LoginGuard build() {
            if (hasher == null) throw new IllegalStateException("a PasswordHasher is required");
            if (store == null) store = new InMemoryLoginStateStore();
            if (limiter == null) limiter = RateLimiter.builder().clock(clock).build();
            return new LoginGuard(this);
        }

        @Override
        public String toString() {
            return "LoginGuard.Builder[deviceCookieKey=<redacted>]";
        }
    }
}
