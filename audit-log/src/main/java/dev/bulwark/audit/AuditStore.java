package dev.bulwark.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where chains live: {@link InMemoryAuditStore} (one node, tests) and {@link JdbcAuditStore} (PostgreSQL and H2).
 * Appends to one chain are serialised by the store (a lock on the chain's head), so concurrent writers on any number
 * of nodes never fork a chain. The store holds no key: it only calls the sealing functions it is given.
 */
public interface AuditStore {

    /** What a prune removed, and the checkpoint it left. */
    record Pruned(long removed, Checkpoint checkpoint) {}

    /**
     * Appends one entry atomically: reads the chain's head (or {@link ChainHead#genesis} for a new chain) under the
     * chain's lock, passes it to {@code sealer}, stores the returned entry and makes it the new head.
     */
    AuditEntry append(ChainId chain, Function<ChainHead, AuditEntry> sealer);

    Optional<ChainHead> head(ChainId chain);

    Optional<Checkpoint> checkpoint(ChainId chain);

    /** Entries with {@code seq > afterSeq}, ascending, at most {@code limit}. */
    List<AuditEntry> entries(ChainId chain, long afterSeq, int limit);

    List<AuditEntry> query(AuditQuery query);

    /**
     * Under the chain's lock: removes every entry older than {@code cutoff} (a prefix, since times never decrease
     * along a chain) and replaces the checkpoint with {@code sealer(last removed entry)}. No-op if nothing is older.
     */
    Pruned prune(ChainId chain, Instant cutoff, Function<AuditEntry, Checkpoint> sealer);

    void setRetention(ChainId chain, Retention retention);

    Optional<Retention> retention(ChainId chain);

    List<ChainId> chains();
}
