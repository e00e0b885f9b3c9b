package dev.bulwark.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/** Chains in memory, for one node and tests. Each chain has its own lock. */
public final class InMemoryAuditStore implements AuditStore {
    private static final class Chain {
        ChainHead head;
        final TreeMap<Long, AuditEntry> entries = new TreeMap<>();
        Checkpoint checkpoint;
        Retention retention;

        Chain(ChainId id) {
            head = ChainHead.genesis(id);
        }
    }

    private final Map<ChainId, Chain> chains = new ConcurrentSkipListMap<>((a, b) -> a.value().compareTo(b.value()));

    private Chain chain(ChainId id) {
        return chains.computeIfAbsent(id, Chain::new);
    }

    @Override
    public AuditEntry append(ChainId id, Function<ChainHead, AuditEntry> sealer) {
        Chain c = chain(id);
        synchronized (c) {
            AuditEntry e = sealer.apply(c.head);
            if (e.seq() != c.head.seq() + 1 || !e.chain().equals(id)) throw new IllegalStateException("sealer broke the chain order");
            c.entries.put(e.seq(), e);
            c.head = e.asHead();
            return e;
        }
    }

    @Override
    public Optional<ChainHead> head(ChainId id) {
        Chain c = chains.get(id);
        if (c == null) return Optional.empty();
        synchronized (c) {
            return c.head.seq() == 0 ? Optional.empty() : Optional.of(c.head);
        }
    }

    @Override
    public Optional<Checkpoint> checkpoint(ChainId id) {
        Chain c = chains.get(id);
        if (c == null) return Optional.empty();
        synchronized (c) {
            return Optional.ofNullable(c.checkpoint);
        }
    }

    @Override
    public List<AuditEntry> entries(ChainId id, long afterSeq, int limit) {
        Chain c = chains.get(id);
        if (c == null) return List.of();
        synchronized (c) {
            List<AuditEntry> out = new ArrayList<>();
            for (AuditEntry e : c.entries.tailMap(afterSeq, false).values()) {
                if (out.size() >= limit) break;
                out.add(e);
            }
            return out;
        }
    }

    @Override
    public List<AuditEntry> query(AuditQuery q) {
        Chain c = chains.get(q.chain());
        if (c == null) return List.of();
        synchronized (c) {
            List<AuditEntry> out = new ArrayList<>();
            for (AuditEntry e : (q.newestFirst ? c.entries.descendingMap() : c.entries).values()) {
                if (out.size() >= q.limit) break;
                if (q.matches(e)) out.add(e);
            }
            return out;
        }
    }

    @Override
    public Pruned prune(ChainId id, Instant cutoff, Function<AuditEntry, Checkpoint> sealer) {
        Chain c = chains.get(id);
        if (c == null) return new Pruned(0, null);
        synchronized (c) {
            AuditEntry last = null;
            for (AuditEntry e : c.entries.values()) {
                if (!e.time().isBefore(cutoff)) break;
                last = e;
            }
            if (last == null) return new Pruned(0, c.checkpoint);
            Checkpoint cp = sealer.apply(last);
            var removed = c.entries.headMap(last.seq(), true);
            long n = removed.size();
            removed.clear();
            c.checkpoint = cp;
            return new Pruned(n, cp);
        }
    }

    @Override
    public void setRetention(ChainId id, Retention retention) {
        Chain c = chain(id);
        synchronized (c) {
            c.retention = retention;
        }
    }

    @Override
    public Optional<Retention> retention(ChainId id) {
        Chain c = chains.get(id);
        if (c == null) return Optional.empty();
        synchronized (c) {
            return Optional.ofNullable(c.retention);
        }
    }

    @Override
    public List<ChainId> chains() {
        return List.copyOf(chains.keySet());
    }

    /** For tests: direct access that bypasses the log, to simulate tampering. */
    Map<Long, AuditEntry> rawEntries(ChainId id) {
        return chain(id).entries;
    }

    @Override
    public String toString() {
        return "InMemoryAuditStore";
    }
}
