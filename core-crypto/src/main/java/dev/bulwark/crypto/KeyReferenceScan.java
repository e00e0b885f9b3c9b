package dev.bulwark.crypto;

import java.util.List;
import java.util.Objects;

/**
 * Evidence for values the keyring cannot rewrite: a password hash made with a pepper key moves to a new key only when
 * its owner signs in again. The scan walks such values in batches and lists every non-primary key id they still name,
 * so {@link Keyring#disableKey} and {@link Keyring#destroyKey} accept its report exactly for the keys no value names any
 * more, and refuse ({@link KeyringException.Reason#KEY_STILL_IN_USE}) while one does. It rewrites nothing.
 *
 * <pre>{@code
 * RewriteReport r = new KeyReferenceScan(keyring, KeysetName.of(KeyPurpose.PASSWORD_PEPPER)).run(
 *         (after, limit) -> userRepo.keyIdsAfter(after, limit));   // Reference.to(userId, keyId) or Reference.none(userId)
 * keyring.disableKey(name, oldKeyId, List.of(r));                 // refused while a hash still names oldKeyId
 * }</pre>
 */
public final class KeyReferenceScan {
    private final Keyring keyring;
    private final KeysetName keyset;
    private int batchSize = 500;
    private ProgressListener progress = ProgressListener.NONE;

    public KeyReferenceScan(Keyring keyring, KeysetName keyset) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.keyset = Objects.requireNonNull(keyset, "keyset");
    }

    /** One stored value: its cursor and the key id it names, if any. */
    public static final class Reference {
        private final String cursor;
        private final Integer keyId;

        private Reference(String cursor, Integer keyId) {
            this.cursor = Objects.requireNonNull(cursor, "cursor");
            this.keyId = keyId;
        }

        /** A value that names {@code keyId} of the scanned keyset. */
        public static Reference to(String cursor, int keyId) {
            return new Reference(cursor, keyId);
        }

        /** A value that names no key of the scanned keyset (e.g. a hash made before the keyset existed). */
        public static Reference none(String cursor) {
            return new Reference(cursor, null);
        }

        public String cursor() {
            return cursor;
        }

        @Override
        public String toString() {
            return "Reference[" + cursor + " -> " + (keyId == null ? "none" : Integer.toUnsignedString(keyId)) + "]";
        }
    }

    /** The values to scan, in cursor order, a batch at a time. */
    @FunctionalInterface
    public interface Source {
        /** The next references after {@code afterCursor} ({@code null}: from the start), at most {@code limit}. */
        List<Reference> nextBatch(String afterCursor, int limit);
    }

    public KeyReferenceScan batchSize(int size) {
        if (size < 1 || size > 100_000) throw new IllegalArgumentException("batch size must be 1..100000");
        this.batchSize = size;
        return this;
    }

    public KeyReferenceScan progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Scans the whole source. The report counts values naming the primary key or no key as current and lists every other
     * key id seen as still referenced; it is complete only when the source's end was reached.
     */
    public RewriteReport run(Source source) {
        Objects.requireNonNull(source, "source");
        FieldRewriter.Tally t = new FieldRewriter.Tally(keyset.id(), keyring.info(keyset).primaryKeyId(), null);
        while (true) {
            List<Reference> batch = source.nextBatch(t.cursor, batchSize);
            for (Reference r : batch) {
                t.scanned++;
                if (r.keyId == null || r.keyId == t.primary) t.current++;
                else t.stillReferenced.add(r.keyId);
                t.cursor = r.cursor;
            }
            if (batch.size() < batchSize) t.complete = true;
            progress.afterBatch(t.report());
            if (t.complete) return t.report();
        }
    }

    @Override
    public String toString() {
        return "KeyReferenceScan[" + keyset.id() + "]";
    }
}
