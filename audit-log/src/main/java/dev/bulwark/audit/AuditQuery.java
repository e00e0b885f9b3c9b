package dev.bulwark.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * A search in one chain: time range (from inclusive, to exclusive), actor, action, target, outcome, suspicious-only.
 * Results are ordered by seq (oldest first, or newest first), at most {@value #MAX_LIMIT} per page; page on with
 * {@link #afterSeq} / {@link #beforeSeq}.
 */
public final class AuditQuery {
    public static final int MAX_LIMIT = 1000;

    final ChainId chain;
    Instant from;
    Instant to;
    Actor actor;
    String action;
    String targetType;
    String targetId;
    Outcome outcome;
    boolean suspiciousOnly;
    long afterSeq = 0;
    long beforeSeq = Long.MAX_VALUE;
    int limit = 100;
    boolean newestFirst;

    private AuditQuery(ChainId chain) {
        this.chain = chain;
    }

    public static AuditQuery in(ChainId chain) {
        return new AuditQuery(Objects.requireNonNull(chain, "chain"));
    }

    public AuditQuery from(Instant inclusive) {
        this.from = inclusive;
        return this;
    }

    public AuditQuery to(Instant exclusive) {
        this.to = exclusive;
        return this;
    }

    public AuditQuery actor(Actor actor) {
        this.actor = actor;
        return this;
    }

    public AuditQuery action(String action) {
        if (action != null && !AuditEvent.ACTION.matcher(action).matches()) {
            throw new AuditException(AuditException.Reason.INVALID_EVENT, "action must match [a-z][a-z0-9_.:-]{0,99}");
        }
        this.action = action;
        return this;
    }

    /** Entries about a target type, and (if {@code id != null}) one target. */
    public AuditQuery target(String type, String id) {
        this.targetType = type;
        this.targetId = id;
        return this;
    }

    public AuditQuery outcome(Outcome outcome) {
        this.outcome = outcome;
        return this;
    }

    public AuditQuery suspiciousOnly() {
        this.suspiciousOnly = true;
        return this;
    }

    public AuditQuery afterSeq(long seq) {
        this.afterSeq = seq;
        return this;
    }

    public AuditQuery beforeSeq(long seq) {
        this.beforeSeq = seq;
        return this;
    }

    public AuditQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        this.limit = limit;
        return this;
    }

    public AuditQuery newestFirst() {
        this.newestFirst = true;
        return this;
    }

    public ChainId chain() {
        return chain;
    }

    /** The same filter in memory (the in-memory store, and a check of the JDBC store in tests). */
    public boolean matches(AuditEntry e) {
        return e.chain().equals(chain)
                && (from == null || !e.time().isBefore(from))
                && (to == null || e.time().isBefore(to))
                && (actor == null || e.actor().equals(actor))
                && (action == null || action.equals(e.action()))
                && (targetType == null || targetType.equals(e.targetType()))
                && (targetId == null || targetId.equals(e.targetId()))
                && (outcome == null || outcome == e.outcome())
                && (!suspiciousOnly || e.suspicious())
                && e.seq() > afterSeq && e.seq() < beforeSeq;
    }
}
