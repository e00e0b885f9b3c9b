package dev.bulwark.auth.webauthn;

import java.util.List;
import java.util.Optional;

/**
 * Registered credentials and outstanding challenges. Implementations: {@link InMemoryWebAuthnStore},
 * {@link JdbcWebAuthnStore}.
 */
public interface WebAuthnStore {
    /**
     * Stores an issued challenge in place of any the same user still holds for the same ceremony (at most one is
     * outstanding, however often a start is called); may purge challenges expired before {@code nowMillis}.
     */
    void saveChallenge(PendingChallenge challenge, long nowMillis);

    /** Atomically removes and returns the challenge with this hash: present exactly once. */
    Optional<PendingChallenge> consumeChallenge(String challengeHash);

    /** Adds a credential; false if its id is already registered (to anyone). */
    boolean addCredential(WebAuthnCredential credential);

    Optional<WebAuthnCredential> findCredential(String credentialId);

    /** The user's credentials, oldest first. */
    List<WebAuthnCredential> credentials(String userId);

    /**
     * Compare-and-set of the signature counter: sets {@code newCount} and the last use only if the stored counter is
     * still {@code expectedCount}. False when a concurrent assertion moved it first.
     */
    boolean updateSignCount(String credentialId, long expectedCount, long newCount, long usedAtMillis);

    /** Removes the user's credential; false if the user has no credential with this id. */
    boolean removeCredential(String userId, String credentialId);

    /** Removes every credential and pending challenge of a user (account deleted). */
    void deleteUser(String userId);
}
