package dev.bulwark.crypto;

import java.util.Set;
import java.util.TreeSet;

/**
 * What a rewrite walk ({@link FieldRewriter}, {@link BlindIndexRebuild}) or a {@link KeyReferenceScan} did. Only the
 * walkers create reports; a clean, complete report is the evidence {@link Keyring#disableKey} asks for before an old
 * key may go.
 */
public final class RewriteReport {
    private final String keysetId;
    private final int primaryKeyId;
    private final long scanned;
    private final long rewritten;
    private final long alreadyCurrent;
    private final long plaintextEncrypted;
    private final long conflicts;
    private final long failed;
    private final String lastCursor;
    private final boolean complete;
    private final Set<Integer> keyIdsStillReferenced;

    RewriteReport(String keysetId, int primaryKeyId, long scanned, long rewritten, long alreadyCurrent,
                  long plaintextEncrypted, long conflicts, long failed, String lastCursor, boolean complete,
                  Set<Integer> keyIdsStillReferenced) {
        this.keysetId = keysetId;
        this.primaryKeyId = primaryKeyId;
        this.scanned = scanned;
        this.rewritten = rewritten;
        this.alreadyCurrent = alreadyCurrent;
        this.plaintextEncrypted = plaintextEncrypted;
        this.conflicts = conflicts;
        this.failed = failed;
        this.lastCursor = lastCursor;
        this.complete = complete;
        this.keyIdsStillReferenced = Set.copyOf(keyIdsStillReferenced);
    }

    public String keysetId() { return keysetId; }
    public int primaryKeyId() { return primaryKeyId; }
    /** Values looked at. */
    public long scanned() { return scanned; }
    /** Values moved to the primary key. */
    public long rewritten() { return rewritten; }
    /** Values already under the primary key. */
    public long alreadyCurrent() { return alreadyCurrent; }
    /** Plaintext values encrypted (migration mode only). */
    public long plaintextEncrypted() { return plaintextEncrypted; }
    /** Values changed by someone else between read and write (left as they were; run again). */
    public long conflicts() { return conflicts; }
    /** Values that could not be decrypted (left as they were). */
    public long failed() { return failed; }
    /** Resume from here with {@code run(source, lastCursor())}; {@code null} if nothing was scanned. */
    public String lastCursor() { return lastCursor; }
    /** The walk reached the end of the source. */
    public boolean complete() { return complete; }
    /** Non-primary key ids that values left behind (failed or conflicting ones) may still use. */
    public Set<Integer> keyIdsStillReferenced() { return keyIdsStillReferenced; }

    /** Complete, with no conflicts or failures: every value scanned is now under the primary key. */
    public boolean clean() {
        return complete && conflicts == 0 && failed == 0;
    }

    /** Whether this report shows that no value of its source needs {@code keyId} any more. */
    public boolean provesKeyUnused(int keyId) {
        return clean() && keyId != primaryKeyId && !keyIdsStillReferenced.contains(keyId);
    }

    @Override
    public String toString() {
        Set<String> ids = new TreeSet<>();
        keyIdsStillReferenced.forEach(i -> ids.add(Integer.toUnsignedString(i)));
        return "RewriteReport[" + keysetId + ": scanned=" + scanned + " rewritten=" + rewritten + " current=" + alreadyCurrent
                + " plaintextEncrypted=" + plaintextEncrypted + " conflicts=" + conflicts + " failed=" + failed
                + " complete=" + complete + " stillReferenced=" + ids + "]";
    }
}
