package dev.bulwark.webhook;

import java.time.Instant;

/**
 * Event ids already accepted, each either <em>in progress</em> (claimed by one delivery, under a processing lease)
 * or <em>done</em> (processed). A record is kept a little longer than the timestamp tolerance: a replay of a captured
 * delivery carries the original signed timestamp, so once that is outside the tolerance the timestamp check refuses
 * it and the record is no longer needed. Implementations: {@link InMemorySeenEventStore}, {@link JdbcSeenEventStore}.
 *
 * <p>Invariant the verifier keeps: a lease never ends after its record's keep-until time, so an unexpired lease always
 * belongs to a live record.
 */
public interface SeenEventStore {

    /** What {@link #claim} found. */
    enum Claim {
        /** This call holds the event now: no live record existed, or the previous holder's lease had run out. */
        CLAIMED,
        /** Another delivery holds the event under an unexpired lease and has not finished yet. */
        IN_PROGRESS,
        /** The event was processed (marked done) within its keep-until time. */
        DONE
    }

    /**
     * Atomically claims a key for processing. Of any number of concurrent calls for one key, at most one gets
     * {@link Claim#CLAIMED}. A record counts while {@code now} is not after its keep-until time; an in-progress record
     * whose lease ended before {@code now} is taken over (its holder is presumed dead).
     *
     * @param claimant   an id unique to this claim, so that only its holder can {@link #release} it
     * @param leaseUntil until when the claim shuts out other deliveries; not after {@code keepUntil}
     * @param keepUntil  until when the record (in progress or done) is kept
     */
    Claim claim(String key, String claimant, Instant leaseUntil, Instant keepUntil, Instant now);

    /**
     * Marks a key done: later deliveries find {@link Claim#DONE} until its keep-until time. Whoever holds the lease,
     * the event was processed once it is marked done. No effect if there is no record (it expired or was forgotten).
     */
    void complete(String key);

    /**
     * Drops an in-progress record if {@code claimant} still holds it, so the next delivery can claim it at once (the
     * processing failed). No effect on a done record or on a claim that another delivery has since taken over.
     */
    void release(String key, String claimant);

    /** Drops a record whatever its state, so a later delivery of that event is accepted again (an operator's action). */
    void forget(String key);

    /** Drops records whose keep-until time is before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
