package dev.bulwark.auth.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions live. Implementations: {@link InMemorySessionStore} and {@link JdbcSessionStore}
 * (PostgreSQL or H2, DDL in {@code dev/bulwark/auth/schema.sql}).
 */
public interface SessionStore {
    void insert(SessionRecord session);

    Optional<SessionRecord> findByTokenHash(String tokenHash);

    List<SessionRecord> findByUser(String userId);

    /** Sets last-seen only if it moves forward. */
    void touch(String sessionId, Instant lastSeenAt);

    /** Replaces the token hash if the current one is {@code expectedOldHash}; false when it was not (a lost race). */
    boolean replaceTokenHash(String sessionId, String expectedOldHash, String newHash, Instant now);

    boolean delete(String sessionId);

    /** Deletes every session of a user except {@code keepSessionId} (may be null); returns how many. */
    int deleteByUser(String userId, String keepSessionId);

    /** Deletes sessions whose absolute expiry or idle deadline has passed. */
    int deleteExpired(Instant now, java.time.Duration idleTimeout);
}
