package dev.bulwark.crypto;

import java.util.List;
import java.util.Objects;

/**
 * Online rebuild of a blind index after rotation: walks rows in batches from a resumable cursor and replaces every
 * index that is not under the primary key (compare-and-set, so concurrent writers win). During the walk lookups
 * keep working because {@link BlindIndex#lookupValues} includes every enabled key.
 */
public final class BlindIndexRebuild {
    private final BlindIndex index;
    private final String keysetId;
    private final Keyring keyring;
    private int batchSize = 500;
    private ProgressListener progress = ProgressListener.NONE;

    public BlindIndexRebuild(BlindIndex index, Keyring keyring) {
        this.index = Objects.requireNonNull(index, "index");
        this.keysetId = KeysetName.of(KeyPurpose.BLIND_INDEX).id();
        this.keyring = Objects.requireNonNull(keyring, "keyring");
    }

    public BlindIndexRebuild batchSize(int size) {
        if (size < 1 || size > 100_000) throw new IllegalArgumentException("batch size must be 1..100000");
        this.batchSize = size;
        return this;
    }

    public BlindIndexRebuild progress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public RewriteReport run(BatchSource<IndexedRow> source) {
        return resume(source, null, Long.MAX_VALUE);
    }

    public RewriteReport resume(BatchSource<IndexedRow> source, RewriteReport previous, long maxBatches) {
        int primary = keyring.info(KeysetName.of(KeyPurpose.BLIND_INDEX)).primaryKeyId();
        FieldRewriter.Tally t = new FieldRewriter.Tally(keysetId, primary, previous);
        for (long b = 0; b < maxBatches; b++) {
            List<IndexedRow> batch = source.nextBatch(t.cursor, batchSize);
            for (IndexedRow row : batch) {
                t.scanned++;
                if (row.value() == null || index.isCurrent(row.storedIndex())) {
                    t.current++;
                } else if (source.replace(row, index.compute(row.value()))) {
                    t.rewritten++;
                } else {
                    t.conflicts++;
                    Integer old = keyIdOf(row.storedIndex());
                    if (old != null) t.stillReferenced.add(old);
                }
                t.cursor = source.cursorOf(row);
            }
            if (batch.size() < batchSize) t.complete = true;
            progress.afterBatch(t.report());
            if (t.complete) break;
        }
        return t.report();
    }

    private static Integer keyIdOf(String storedIndex) {
        if (storedIndex == null || !storedIndex.startsWith(BlindIndex.PREFIX) || storedIndex.length() < BlindIndex.PREFIX.length() + 9) {
            return null;
        }
        try {
            return Integer.parseUnsignedInt(storedIndex.substring(BlindIndex.PREFIX.length(), BlindIndex.PREFIX.length() + 8), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
