package dev.bulwark.crypto;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Walks stored field values in batches from a resumable cursor and rewrites each one under the primary key
 * (after a rotation), or encrypts plaintext ones (when turning encryption on for a live table). Each value is
 * decrypted and re-encrypted in memory and written back with a compare-and-set, so no plaintext is ever stored and a
 * concurrent update is never overwritten.
 */
public final class FieldRewriter {
    private final FieldCipher cipher;
    private final boolean encryptPlaintext;
    private int batchSize = 500;
    private ProgressListener progress = ProgressListener.NONE;

    private FieldRewriter(FieldCipher cipher, boolean encryptPlaintext) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.encryptPlaintext = encryptPlaintext;
    }

    /** Moves every value to the primary key. A plaintext value is counted as a failure. */
    public static FieldRewriter reencrypting(FieldCipher cipher) {
        return new FieldRewriter(cipher, false);
    }

    /** Migration: encrypts plaintext values and moves old ciphertexts to the primary key. */
    public static FieldRewriter encryptingPlaintext(FieldCipher cipher) {
        return new FieldRewriter(cipher, true);
    }

    public FieldRewriter batchSize(int size) {
        if (size < 1 || size > 100_000) throw new IllegalArgumentException("batch size must be 1..100000");
        this.batchSize = size;
        return this;
    }

    public FieldRewriter progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Walks the whole source from the start. */
    public RewriteReport run(BatchSource<StoredField> source) {
        return resume(source, null, Long.MAX_VALUE);
    }

    /**
     * Continues a walk: starts after {@code previous.lastCursor()} (or at the start if {@code previous} is null),
     * adds to its totals, and stops after {@code maxBatches} batches or at the end of the source.
     */
    public RewriteReport resume(BatchSource<StoredField> source, RewriteReport previous, long maxBatches) {
        Tally t = new Tally(cipher.keyset().id(), cipher.primaryKeyId(), previous);
        for (long b = 0; b < maxBatches; b++) {
            List<StoredField> batch = source.nextBatch(t.cursor, batchSize);
            for (StoredField f : batch) {
                visit(source, f, t);
                t.cursor = source.cursorOf(f);
            }
            if (batch.size() < batchSize) t.complete = true;
            progress.afterBatch(t.report());
            if (t.complete) break;
        }
        return t.report();
    }

    private void visit(BatchSource<StoredField> source, StoredField f, Tally t) {
        t.scanned++;
        String stored = f.storedValue();
        if (stored == null) {
            t.current++;
            return;
        }
        if (!FieldCipher.isCiphertext(stored)) {
            if (!encryptPlaintext) {
                t.failed++;
                return;
            }
            if (source.replace(f, cipher.encrypt(stored, f.context()))) t.plaintext++;
            else t.conflicts++;
            return;
        }
        int keyId;
        try {
            keyId = cipher.keyIdOf(stored);
        } catch (DecryptionException e) {
            t.failed++;
            return;
        }
        if (keyId == t.primary) {
            t.current++;
            return;
        }
        try {
            if (source.replace(f, cipher.reencrypt(stored, f.context()))) {
                t.rewritten++;
            } else {
                t.conflicts++;
                t.stillReferenced.add(keyId);
            }
        } catch (DecryptionException e) {
            t.failed++;
            t.stillReferenced.add(keyId);
        }
    }

    static final class Tally {
        final String keysetId;
        final int primary;
        long scanned, rewritten, current, plaintext, conflicts, failed;
        String cursor;
        boolean complete;
        final Set<Integer> stillReferenced = new HashSet<>();

        Tally(String keysetId, int primary, RewriteReport previous) {
            this.keysetId = keysetId;
            this.primary = primary;
            if (previous != null) {
                if (!previous.keysetId().equals(keysetId)) {
                    throw new IllegalArgumentException("cannot resume a walk of " + previous.keysetId() + " with " + keysetId);
                }
                scanned = previous.scanned();
                rewritten = previous.rewritten();
                current = previous.alreadyCurrent();
                plaintext = previous.plaintextEncrypted();
                conflicts = previous.conflicts();
                failed = previous.failed();
                cursor = previous.lastCursor();
                stillReferenced.addAll(previous.keyIdsStillReferenced());
            }
        }

        RewriteReport report() {
            return new RewriteReport(keysetId, primary, scanned, rewritten, current, plaintext, conflicts, failed,
                    cursor, complete, stillReferenced);
        }
    }
}
