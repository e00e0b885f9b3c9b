package dev.bulwark.links;

import java.time.Instant;

/**
 * Remembers the ids of single-use link tokens that have been used. A record is needed only until the token
 * expires; after that the token is refused as expired anyway, so {@link #purgeExpired(Instant)} may drop it.
 * Implementations: {@link InMemoryUsedLinkStore} (one node, tests) and {@link JdbcUsedLinkStore} (shared).
 */
public interface UsedLinkStore {
    /**
     * Atomically records a token id as used.
     *
     * @return true if this call recorded it (first use), false if it was already recorded and not yet expired
     */
    boolean markUsed(String tokenId, Instant keepUntil);

    /** Whether the id is recorded and the record has not expired at {@code now}. */
    boolean isUsed(String tokenId, Instant now);

    /** Drops records whose keep-until time is before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
