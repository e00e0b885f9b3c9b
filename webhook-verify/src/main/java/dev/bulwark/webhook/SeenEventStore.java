package dev.bulwark.webhook;

import java.time.Instant;

/**
 * Event ids already accepted, kept a little longer than the timestamp tolerance: a replay of a captured delivery
 * carries the original signed timestamp, so once that is outside the tolerance the timestamp check refuses it
 * and the record is no longer needed. Implementations: {@link InMemorySeenEventStore}, {@link JdbcSeenEventStore}.
 */
public interface SeenEventStore {
    /**
     * Atomically records a key unless a record for it is still live at {@code now}.
     *
     * @return true if this call recorded it (first delivery), false if it is a duplicate
     */
    boolean firstSeen(String key, Instant keepUntil, Instant now);

    /** Drops a record, so a later delivery of that event is accepted again (e.g. after processing failed). */
    void forget(String key);

    /** Drops records whose keep-until time is before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
