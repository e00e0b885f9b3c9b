package dev.bulwark.auth.apikey;

import dev.bulwark.auth.event.SecurityEvent;
import dev.bulwark.auth.event.SecurityEventListener;
import dev.bulwark.auth.event.Slf4jSecurityEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * API keys: {@code <prefix>_<keyId>_<secret>} with a 12-character key id (for lookup) and a 26-character secret
 * (130 random bits). Only the SHA-256 of the whole key and its last 4 characters are stored; the key is shown once.
 * Lookup by id, constant-time comparison of the hash, scopes, expiry, last-used time, and "due for rotation" after
 * 90 days (configurable).
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.builder().prefix("acme").store(new JdbcApiKeyStore(ds)).build();
 * IssuedApiKey k = keys.issue(workspaceId, ApiKeyScope.READ_ONLY, "accounting export", null);
 * show(k.key());                                            // once
 * ApiKeyCheck c = keys.authenticate(bearer, ApiKeyScope.READ_WRITE, clientIp);
 * }</pre>
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    static final int ID_LENGTH = 12;
    static final int SECRET_LENGTH = 26;

    private final String prefix;
    private final ApiKeyStore store;
    private final Clock clock;
    private final Duration rotationAfter;
    private final Duration lastUsedWriteInterval;
    private final SecurityEventListener events;
    private final SecureRandom random = new SecureRandom();

    private ApiKeys(Builder b) {
        this.prefix = b.prefix;
        this.store = b.store;
        this.clock = b.clock;
        this.rotationAfter = b.rotationAfter;
        this.lastUsedWriteInterval = b.lastUsedWriteInterval;
        this.events = b.events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Issues a key; {@code expiresAt} may be null for a key that does not expire (rotation is still flagged). */
    public IssuedApiKey issue(String ownerId, ApiKeyScope scope, String label, Instant expiresAt) {
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(scope, "scope");
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) throw new IllegalArgumentException("expiresAt must be in the future");
        String id = randomText(ID_LENGTH);
        String key = prefix + "_" + id + "_" + randomText(SECRET_LENGTH);
        String clippedLabel = label == null ? null : (label.length() > 200 ? label.substring(0, 200) : label);
        ApiKeyRecord r = new ApiKeyRecord(id, ownerId, sha256(key), key.substring(key.length() - 4), scope, clippedLabel,
                now, expiresAt, null, null);
        store.insert(r);
        return new IssuedApiKey(key, info(r, now));
    }

    /** Checks a presented key for an action needing {@code required}. Never throws on hostile input. */
    public ApiKeyCheck authenticate(String presented, ApiKeyScope required, String clientAddress) {
        Objects.requireNonNull(required, "required");
        Optional<String> id = keyId(presented);
        if (id.isEmpty()) return ApiKeyCheck.refused(ApiKeyCheck.Reason.MALFORMED);
        Instant now = clock.instant();
        Optional<ApiKeyRecord> found = store.find(id.get());
        byte[] presentedHash = sha256(presented).getBytes(StandardCharsets.US_ASCII);
        if (found.isEmpty()) {
            MessageDigest.isEqual(presentedHash, presentedHash); // same work as a real comparison
            return ApiKeyCheck.refused(ApiKeyCheck.Reason.UNKNOWN);
        }
        ApiKeyRecord r = found.get();
        if (!MessageDigest.isEqual(presentedHash, r.secretHash().getBytes(StandardCharsets.US_ASCII))) {
            misuse(r.keyId(), "wrong secret", clientAddress, now);
            return ApiKeyCheck.refused(ApiKeyCheck.Reason.UNKNOWN);
        }
        if (r.revokedAt() != null) {
            misuse(r.keyId(), "revoked", clientAddress, now);
            return ApiKeyCheck.refused(ApiKeyCheck.Reason.REVOKED);
        }
        if (r.expiresAt() != null && !r.expiresAt().isAfter(now)) {
            misuse(r.keyId(), "expired", clientAddress, now);
            return ApiKeyCheck.refused(ApiKeyCheck.Reason.EXPIRED);
        }
        if (!r.scope().permits(required)) {
            misuse(r.keyId(), "insufficient scope (" + r.scope() + " < " + required + ")", clientAddress, now);
            return ApiKeyCheck.refused(ApiKeyCheck.Reason.INSUFFICIENT_SCOPE);
        }
        if (r.lastUsedAt() == null || !r.lastUsedAt().plus(lastUsedWriteInterval).isAfter(now)) {
            store.markUsed(r.keyId(), now);
            r = new ApiKeyRecord(r.keyId(), r.ownerId(), r.secretHash(), r.last4(), r.scope(), r.label(), r.createdAt(),
                    r.expiresAt(), now, r.revokedAt());
        }
        return ApiKeyCheck.ok(new VerifiedApiKey(info(r, now)));
    }

    /** Revokes one of the owner's keys; another owner's key id does nothing. */
    public boolean revoke(String ownerId, String keyId) {
        return store.revoke(ownerId, keyId, clock.instant());
    }

    /** The owner's keys (including revoked and expired), oldest first; never the secret. */
    public List<ApiKeyInfo> list(String ownerId) {
        Instant now = clock.instant();
        return store.findByOwner(ownerId).stream().map(r -> info(r, now)).toList();
    }

    private ApiKeyInfo info(ApiKeyRecord r, Instant now) {
        boolean due = r.revokedAt() == null && !r.createdAt().plus(rotationAfter).isAfter(now);
        return new ApiKeyInfo(r.keyId(), r.ownerId(), r.label(), r.scope(), r.last4(), r.createdAt(), r.expiresAt(),
                r.lastUsedAt(), r.revokedAt(), due);
    }

    /** The key id of a well-formed key for this prefix, else empty. */
    Optional<String> keyId(String presented) {
        int expected = prefix.length() + 2 + ID_LENGTH + SECRET_LENGTH;
        if (presented == null || presented.length() != expected || !presented.startsWith(prefix + "_")) return Optional.empty();
        int idStart = prefix.length() + 1;
        if (presented.charAt(idStart + ID_LENGTH) != '_') return Optional.empty();
        for (int i = idStart; i < expected; i++) {
            if (i == idStart + ID_LENGTH) continue;
            if (ALPHABET.indexOf(presented.charAt(i)) < 0) return Optional.empty();
        }
        return Optional.of(presented.substring(idStart, idStart + ID_LENGTH));
    }

    private void misuse(String keyId, String reason, String ip, Instant now) {
        try {
            events.on(new SecurityEvent.ApiKeyMisuse(now, keyId, reason, ip));
        } catch (RuntimeException e) {
            LOG.warn("security event listener failed: {}", e.getClass().getSimpleName());
        }
    }

    private String randomText(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(ALPHABET.charAt(random.nextInt(32)));
        return sb.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Configures {@link ApiKeys}. */
    public static final class Builder {
        private String prefix = "bwk";
        private ApiKeyStore store;
        private Clock clock = Clock.systemUTC();
        private Duration rotationAfter = Duration.ofDays(90);
        private Duration lastUsedWriteInterval = Duration.ofMinutes(1);
        private SecurityEventListener events = new Slf4jSecurityEventListener();

        private Builder() {}

        /** Recognisable prefix (2..16 lower-case letters/digits, starting with a letter), so leaked keys are easy to scan for. */
        public Builder prefix(String prefix) {
            if (prefix == null || !prefix.matches("[a-z][a-z0-9]{1,15}")) throw new IllegalArgumentException("prefix must match [a-z][a-z0-9]{1,15}");
            this.prefix = prefix;
            return this;
        }

        /** Default: in memory. */
        public Builder store(ApiKeyStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Age after which a key is flagged "due for rotation" (default 90 days). */
        public Builder rotationAfter(Duration d) {
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(3650)) > 0) throw new IllegalArgumentException("rotationAfter must be within 1 s..10 years");
            this.rotationAfter = d;
            return this;
        }

        /** Minimum time between lastUsedAt writes for one key (default 1 minute). */
        public Builder lastUsedWriteInterval(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("lastUsedWriteInterval must not be negative");
            this.lastUsedWriteInterval = d;
            return this;
        }

        public Builder events(SecurityEventListener events) {
            this.events = Objects.requireNonNull(events);
            return this;
        }

        public ApiKeys build() {
            if (store == null) store = new InMemoryApiKeyStore();
            return new ApiKeys(this);
        }
    }
}
