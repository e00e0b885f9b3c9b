package dev.bulwark.auth.session;

import java.time.Instant;

/** What a user may see about one of their sessions ("active sessions" page). Holds no token or hash. */
public record SessionInfo(String sessionId, String userId, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
                          Instant idleExpiresAt, String ipAddress, String userAgent) {
}
