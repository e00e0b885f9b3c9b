package dev.bulwark.auth.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Opaque server-side sessions: 256-bit random tokens, stored only as their SHA-256; idle timeout (default 24 h) and
 * absolute lifetime (default 14 days); last-seen written at most once per {@code touchInterval}; rotation keeps the
 * session but replaces its token; revoke one, revoke all of a user (on password change), list a user's sessions.
 *
 * <pre>{@code
 * SessionManager sessions = SessionManager.builder().store(new JdbcSessionStore(ds)).build();
 * NewSession s = sessions.startAfterLogin(userId, ip, userAgent, oldCookieOrNull);   // rotates
 * setCookie("__Host-session", s.token());
 * Optional<VerifiedSession> v = sessions.validate(cookie);
 * }</pre>
 */
public final class SessionManager {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int TOKEN_LENGTH = 43;

    private final SessionStore store;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration absoluteLifetime;
    private final Duration touchInterval;
    private final SecureRandom random = new SecureRandom();

    private SessionManager(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.idleTimeout = b.idleTimeout;
        this.absoluteLifetime = b.absoluteLifetime;
        this.touchInterval = b.touchInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Creates a new session for a user. */
    public NewSession create(String userId, String ipAddress, String userAgent) {
        Objects.requireNonNull(userId, "userId");
        Instant now = clock.instant();
        String token = newToken();
        SessionRecord r = new SessionRecord(newId(), hash(token), userId, now, now, now.plus(absoluteLifetime),
                clip(ipAddress, 64), clip(userAgent, 512));
        store.insert(r);
        return new NewSession(token, info(r));
    }

    /**
     * Login: revokes the session of {@code previousToken} (if it is a valid session) and creates a new one, so a
     * token planted before login (session fixation) is worthless afterwards.
     */
    public NewSession startAfterLogin(String userId, String ipAddress, String userAgent, String previousToken) {
        if (previousToken != null) revoke(previousToken);
        return create(userId, ipAddress, userAgent);
    }

    /** Checks a presented token; touches last-seen when {@code touchInterval} has passed. */
    public SessionCheck check(String token) {
        if (!wellFormed(token)) return SessionCheck.refused(SessionCheck.Reason.MALFORMED);
        Optional<SessionRecord> found = store.findByTokenHash(hash(token));
        if (found.isEmpty()) return SessionCheck.refused(SessionCheck.Reason.UNKNOWN);
        SessionRecord r = found.get();
        Instant now = clock.instant();
        if (!r.expiresAt().isAfter(now)) {
            store.delete(r.sessionId());
            return SessionCheck.refused(SessionCheck.Reason.ABSOLUTE_EXPIRED);
        }
        if (!r.lastSeenAt().plus(idleTimeout).isAfter(now)) {
            store.delete(r.sessionId());
            return SessionCheck.refused(SessionCheck.Reason.IDLE_EXPIRED);
        }
        if (!r.lastSeenAt().plus(touchInterval).isAfter(now)) {
            store.touch(r.sessionId(), now);
            r = r.withLastSeen(now);
        }
        return SessionCheck.ok(new VerifiedSession(info(r)));
    }

    public Optional<VerifiedSession> validate(String token) {
        return check(token).session();
    }

    /**
     * Replaces the token of a valid session (call on privilege change, e.g. after MFA or sudo-mode). The session
     * keeps its id, creation time and absolute expiry; the old token stops working at once.
     */
    public Optional<NewSession> rotate(String token) {
        SessionCheck c = check(token);
        if (!c.valid()) return Optional.empty();
        SessionRecord r = store.findByTokenHash(hash(token)).orElse(null);
        if (r == null) return Optional.empty();
        String fresh = newToken();
        Instant now = clock.instant();
        if (!store.replaceTokenHash(r.sessionId(), r.tokenHash(), hash(fresh), now)) return Optional.empty();
        return Optional.of(new NewSession(fresh, info(r.withTokenHash(hash(fresh), now))));
    }

    /** Revokes the session of this token (logout). */
    public boolean revoke(String token) {
        if (!wellFormed(token)) return false;
        return store.findByTokenHash(hash(token)).map(r -> store.delete(r.sessionId())).orElse(false);
    }

    /** Revokes one of a user's sessions by id (from the "active sessions" list); another user's id does nothing. */
    public boolean revokeSession(String userId, String sessionId) {
        for (SessionRecord r : store.findByUser(userId)) {
            if (r.sessionId().equals(sessionId)) return store.delete(sessionId);
        }
        return false;
    }

    /** Revokes every session of a user (password change, account compromise). */
    public int revokeAll(String userId) {
        return store.deleteByUser(userId, null);
    }

    /** Revokes every session of a user but the current one. */
    public int revokeAllExcept(String userId, String keepSessionId) {
        return store.deleteByUser(userId, Objects.requireNonNull(keepSessionId));
    }

    /** A user's live sessions, oldest first. */
    public List<SessionInfo> list(String userId) {
        Instant now = clock.instant();
        return store.findByUser(userId).stream()
                .filter(r -> r.expiresAt().isAfter(now) && r.lastSeenAt().plus(idleTimeout).isAfter(now))
                .map(this::info).toList();
    }

    /** Deletes expired sessions (run periodically). */
    public int purgeExpired() {
        return store.deleteExpired(clock.instant(), idleTimeout);
    }

    private SessionInfo info(SessionRecord r) {
        Instant idle = r.lastSeenAt().plus(idleTimeout);
        return new SessionInfo(r.sessionId(), r.userId(), r.createdAt(), r.lastSeenAt(), r.expiresAt(),
                idle.isBefore(r.expiresAt()) ? idle : r.expiresAt(), r.ipAddress(), r.userAgent());
    }

    private String newToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    private String newId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    static boolean wellFormed(String token) {
        if (token == null || token.length() != TOKEN_LENGTH) return false;
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
        }
        return true;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s, int max) {
        if (s == null) return null;
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** Configures a {@link SessionManager}. */
    public static final class Builder {
        private SessionStore store;
        private Clock clock = Clock.systemUTC();
        private Duration idleTimeout = Duration.ofHours(24);
        private Duration absoluteLifetime = Duration.ofDays(14);
        private Duration touchInterval = Duration.ofMinutes(1);

        private Builder() {}

        /** Default: in memory (single node). */
        public Builder store(SessionStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Inactivity after which a session ends (default 24 h, at most 30 days). */
        public Builder idleTimeout(Duration d) {
            if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(30)) > 0)
                throw new IllegalArgumentException("idleTimeout must be within 1 minute..30 days");
            this.idleTimeout = d;
            return this;
        }

        /** Age after which a session ends regardless of use (default 14 days, at most 90 days). */
        public Builder absoluteLifetime(Duration d) {
            if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(90)) > 0)
                throw new IllegalArgumentException("absoluteLifetime must be within 1 minute..90 days");
            this.absoluteLifetime = d;
            return this;
        }

        /** Minimum time between last-seen writes (default 1 minute; must be shorter than the idle timeout). */
        public Builder touchInterval(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("touchInterval must not be negative");
            this.touchInterval = d;
            return this;
        }

        public SessionManager build() {
            if (touchInterval.compareTo(idleTimeout) >= 0) throw new IllegalStateException("touchInterval must be shorter than idleTimeout");
            if (store == null) store = new InMemorySessionStore();
            return new SessionManager(this);
        }
    }
}
