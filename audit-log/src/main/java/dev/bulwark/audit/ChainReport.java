package dev.bulwark.audit;

import java.util.Optional;

/**
 * The result of verifying one chain. Only {@link AuditVerifier} creates it. Either the chain is intact, or
 * {@link #problem()} names the first entry that was edited, removed, inserted or reordered.
 */
public final class ChainReport {

    /** What is wrong at the first broken place. */
    public enum Kind {
        /** The entry's MAC does not match its content: a field was changed (or the MAC, or the row is unreadable). */
        EDITED,
        /** One or more entries are missing before this position ({@link Problem#seq()} is the first missing seq). */
        REMOVED,
        /** An entry that does not belong here: a forgery, a duplicate, or an entry of another chain. */
        INSERTED,
        /** An authentic entry appears out of order. */
        REORDERED,
        /** Two authentic entries do not link (the entry's previous-MAC is not its predecessor's MAC). */
        BROKEN_LINK,
        /** The chain ends before the known head: newest entries were deleted. */
        TRUNCATED,
        /** The pruning checkpoint's own MAC does not verify. */
        BAD_CHECKPOINT,
        /** An export line is not valid (not JSON, missing fields, unknown record type). */
        MALFORMED
    }

    /**
     * @param seq      the entry's sequence number (for REMOVED: the first missing one; -1 if unknown)
     * @param position 1-based line of an export, or 1-based index of the entry read from a store
     */
    public record Problem(Kind kind, long seq, long position, String message) {
        @Override
        public String toString() {
            return kind + " at seq " + seq + " (position " + position + "): " + message;
        }
    }

    private final ChainId chain;
    private final Problem problem;
    private final long entriesVerified;
    private final long lastSeq;
    private final String lastMac;

    ChainReport(ChainId chain, Problem problem, long entriesVerified, long lastSeq, String lastMac) {
        this.chain = chain;
        this.problem = problem;
        this.entriesVerified = entriesVerified;
        this.lastSeq = lastSeq;
        this.lastMac = lastMac;
    }

    public ChainId chain() {
        return chain;
    }

    public boolean intact() {
        return problem == null;
    }

    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** Entries whose MAC and link were checked before the first problem (all of them if intact). */
    public long entriesVerified() {
        return entriesVerified;
    }

    /** Seq of the last verified entry (the checkpoint's seq, or 0, if none). */
    public long lastVerifiedSeq() {
        return lastSeq;
    }

    /** MAC of the last verified entry: publish it as an anchor for the next verification. */
    public String lastVerifiedMac() {
        return lastMac;
    }

    @Override
    public String toString() {
        return "ChainReport[" + chain + ", " + (problem == null ? "intact" : problem.toString()) + ", " + entriesVerified + " verified]";
    }
}
