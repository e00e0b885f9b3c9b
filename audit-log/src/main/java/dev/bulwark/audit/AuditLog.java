package dev.bulwark.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit log: seals events into one hash chain per workspace (plus one for the platform), each entry MACed over
 * its content and its predecessor's MAC; queries, JSON Lines export, retention with signed checkpoints, verification.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.builder().store(new JdbcAuditStore(ds).createTablesIfMissing()).macKey(auditKey).build();
 * audit.record(AuditEvent.in(ChainId.workspace(wsId)).actor(Actor.member(memberId)).action("invoice.refund")
 *         .target("invoice", invoiceId).ip(ip).userAgent(ua).details(Details.of("amount", 1200)).build());
 * audit.setRetention(ChainId.workspace(wsId), Retention.days(30));
 * audit.prune();                                   // daily job
 * ChainReport report = audit.verify(ChainId.workspace(wsId));
 * }</pre>
 */
public final class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int PAGE = 500;

    private final AuditStore store;
    private final AuditMacKey key;
    private final Clock clock;
    private final Retention defaultRetention;
    private final AuditVerifier verifier;

    private AuditLog(Builder b) {
        this.store = b.store;
        this.key = b.key;
        this.clock = b.clock;
        this.defaultRetention = b.defaultRetention;
        this.verifier = new AuditVerifier(b.key);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Store and MAC key are required; retention defaults to one year. */
    public static final class Builder {
        private AuditStore store;
        private AuditMacKey key;
        private Clock clock = Clock.systemUTC();
        private Retention defaultRetention = Retention.DEFAULT;

        public Builder store(AuditStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder macKey(AuditMacKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Retention of chains that have no setting of their own. */
        public Builder defaultRetention(Retention retention) {
            this.defaultRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public AuditLog build() {
            if (store == null) throw new IllegalStateException("an audit store is required: AuditLog.builder().store(...)");
            if (key == null) throw new IllegalStateException("a MAC key is required: AuditLog.builder().macKey(...)");
            return new AuditLog(this);
        }
    }

    /**
     * Appends the event to its chain and returns the sealed entry. The time is the log's clock (millisecond precision),
     * never earlier than the chain's previous entry, so entries are in time order along the chain.
     */
    public AuditEntry record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditEntry e = store.append(event.chain, head -> seal(event, head));
        if (event.suspicious) {
            log.warn("suspicious activity recorded for review: chain={} seq={} action={} outcome={}", e.chain(), e.seq(), e.action(), e.outcome());
        }
        return e;
    }

    private AuditEntry seal(AuditEvent ev, ChainHead head) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant time = head.time() != null && now.isBefore(head.time()) ? head.time() : now;
        long seq = head.seq() + 1;
        int keyId = key.currentKeyId();
        byte[] data = Canonical.entry(ev.chain, seq, time.toEpochMilli(), ev.actor, ev.action, ev.targetType, ev.targetId,
                ev.outcome, ev.ip, ev.userAgent, ev.details, ev.suspicious, keyId, head.mac());
        String mac = Canonical.b64(tag(keyId, data));
        return new AuditEntry(ev.chain, seq, time, ev.actor, ev.action, ev.targetType, ev.targetId, ev.outcome, ev.ip,
                ev.userAgent, ev.details, ev.suspicious, keyId, head.mac(), mac);
    }

    private byte[] tag(int keyId, byte[] data) {
        try {
            return key.tag(keyId, data);
        } catch (AuditException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AuditException(AuditException.Reason.KEY_UNAVAILABLE, "the audit MAC key cannot sign", e);
        }
    }

    public List<AuditEntry> query(AuditQuery query) {
        return store.query(Objects.requireNonNull(query, "query"));
    }

    /** The newest entry of a chain; publish it outside the database and pass it to {@link #verify(ChainId, ChainHead)}. */
    public Optional<ChainHead> head(ChainId chain) {
        return store.head(chain);
    }

    // ---------------------------------------------------------------- retention

    /** Sets a chain's retention (e.g. {@code Retention.days(30)}, {@code Retention.days(365)}, {@link Retention#FOREVER}). */
    public void setRetention(ChainId chain, Retention retention) {
        store.setRetention(Objects.requireNonNull(chain, "chain"), Objects.requireNonNull(retention, "retention"));
    }

    /** The chain's retention, or the default. */
    public Retention retention(ChainId chain) {
        return store.retention(chain).orElse(defaultRetention);
    }

    /** The outcome of pruning one chain. */
    public record PruneResult(ChainId chain, Retention retention, long removed, Checkpoint checkpoint) {}

    /** Prunes every chain by its retention. Run it daily. */
    public List<PruneResult> prune() {
        List<PruneResult> out = new ArrayList<>();
        for (ChainId c : store.chains()) out.add(prune(c));
        return out;
    }

    /** Drops the chain's entries older than its retention, leaving a signed checkpoint so the rest still verifies. */
    public PruneResult prune(ChainId chain) {
        Retention r = retention(chain);
        if (r.isForever()) return new PruneResult(chain, r, 0, store.checkpoint(chain).orElse(null));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant cutoff = now.minusMillis(r.millis());
        AuditStore.Pruned p = store.prune(chain, cutoff, last -> {
            int keyId = key.currentKeyId();
            byte[] data = Canonical.checkpoint(chain, last.seq(), last.mac(), now.toEpochMilli(), keyId);
            return new Checkpoint(chain, last.seq(), last.mac(), now, keyId, Canonical.b64(tag(keyId, data)));
        });
        if (p.removed() > 0) log.info("pruned {} audit entries of {} (retention {})", p.removed(), chain, r);
        return new PruneResult(chain, r, p.removed(), p.checkpoint());
    }

    // ---------------------------------------------------------------- export and verification

    /** Writes the chain as JSON Lines: checkpoint (if pruned), every entry in order, then the head. */
    public void export(ChainId chain, Writer out) throws IOException {
        Optional<Checkpoint> cp = store.checkpoint(chain);
        if (cp.isPresent()) out.write(ExportFormat.checkpoint(cp.get()) + "\n");
        long lastSeq = cp.map(Checkpoint::throughSeq).orElse(0L);
        String lastMac = cp.map(Checkpoint::lastMac).orElse(Canonical.GENESIS_MAC);
        // Every stored row, including any a checkpoint already covers: such a row was put back or forged after
        // pruning, and the verifier must see it (it shows up in queries too).
        Iterator<AuditEntry> it = entries(chain);
        while (it.hasNext()) {
            AuditEntry e = it.next();
            out.write(ExportFormat.entry(e) + "\n");
            lastSeq = e.seq();
            lastMac = e.mac();
        }
        out.write(ExportFormat.head(chain, lastSeq, lastMac) + "\n");
        out.flush();
    }

    /** Verifies the chain as stored, anchored at the store's own head (which reveals a deleted tail). */
    public ChainReport verify(ChainId chain) {
        return verify(chain, store.head(chain).orElse(null));
    }

    /** Verifies the chain as stored against a head published earlier (outside the database). */
    public ChainReport verify(ChainId chain, ChainHead anchor) {
        Checkpoint cp = store.checkpoint(chain).orElse(null);
        // From seq 0, not from the checkpoint: a row at or below the checkpoint's seq must be reported, not skipped.
        return verifier.verify(chain, cp, entries(chain), anchor);
    }

    /** Every stored entry of the chain, from seq 0 (rows below a checkpoint included), read page by page. */
    private Iterator<AuditEntry> entries(ChainId chain) {
        return new Iterator<>() {
            private List<AuditEntry> page = List.of();
            private int i;
            private long after = 0;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (i < page.size()) return true;
                if (exhausted) return false;
                page = store.entries(chain, after, PAGE);
                i = 0;
                if (page.size() < PAGE) exhausted = true;
                if (!page.isEmpty()) after = page.get(page.size() - 1).seq();
                return !page.isEmpty();
            }

            @Override
            public AuditEntry next() {
                if (!hasNext()) throw new NoSuchElementException();
                return page.get(i++);
            }
        };
    }

    public AuditVerifier verifier() {
        return verifier;
    }

    @Override
    public String toString() {
        return "AuditLog[" + store + "]";
    }
}
