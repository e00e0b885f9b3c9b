package dev.bulwark.auth.session;

import java.time.Instant;

/**
 * A stored session. {@code tokenHash} is the hex SHA-256 of the token; the token itself is never stored.
 */
public record SessionRecord(String sessionId, String tokenHash, String userId, Instant createdAt, Instant lastSeenAt,
                            Instant expiresAt, String ipAddress, String userAgent) {

    SessionRecord withLastSeen(Instant t) {
        return new SessionRecord(sessionId, tokenHash, userId, createdAt, t, expiresAt, ipAddress, userAgent);
    }

    SessionRecord withTokenHash(String h, Instant seen) {
        return new SessionRecord(sessionId, h, userId, createdAt, seen, expiresAt, ipAddress, userAgent);
    }

    @Override
    public String toString() {
        return "SessionRecord[sessionId=" + sessionId + ", userId=" + userId + ", tokenHash=<redacted>]";
    }
}
