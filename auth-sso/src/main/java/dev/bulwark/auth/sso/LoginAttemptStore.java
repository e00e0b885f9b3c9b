package dev.bulwark.auth.sso;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers started OIDC sign-ins (state, nonce, PKCE verifier, browser binding) until their callback arrives.
 * Every attempt is single use: {@link #consume} removes it atomically, so a replayed callback (same state, same
 * nonce) finds nothing. Implementations: {@link InMemoryLoginAttemptStore} (one node, tests) and
 * {@link JdbcLoginAttemptStore} (several nodes).
 */
public interface LoginAttemptStore {
    /** Stores a new attempt. State hashes are 256-bit random values' digests, so collisions are not expected. */
    void save(PendingLogin attempt);

    /**
     * Atomically removes the attempt with this state hash and returns it if it had not expired at {@code now}.
     * Of two concurrent calls for one attempt at most one returns it.
     */
    Optional<PendingLogin> consume(String stateHash, Instant now);

    /** Drops attempts that expired before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
