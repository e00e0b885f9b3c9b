package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Edge cases of the rewrite walks: what each kind of row counts as, batch bounds, resuming, and the evidence they give. */
class RewriteWalkTest {
    static final KeysetName FIELDS = KeysetName.of(KeyPurpose.FIELDS);

    static FieldContext ctx(int row) {
        return RotationAndShreddingProperties.ctx(row);
    }

    @Test
    void batchSizeMustBeBetweenOneAndOneHundredThousand() {
        Keyring k = TestKeyrings.fresh();
        FieldRewriter w = FieldRewriter.reencrypting(k.fields());
        assertThatThrownBy(() -> w.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.batchSize(100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.batchSize(1)).isSameAs(w);
        assertThat(w.batchSize(100_000)).isSameAs(w);
        assertThatThrownBy(() -> w.progress(null)).isInstanceOf(NullPointerException.class);
        BlindIndexRebuild r = new BlindIndexRebuild(k.blindIndexes().column(ColumnContext.of("w", "t", "c"), Normalizer.EXACT), k);
        assertThatThrownBy(() -> r.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.batchSize(100_001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(r.batchSize(1)).isSameAs(r);
        assertThat(r.batchSize(100_000)).isSameAs(r);
        assertThatThrownBy(() -> r.progress(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aBatchSizeOfOneVisitsEveryRowOnce() throws Exception {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        for (int i = 0; i < 3; i++) table.put("r" + i, ctx(i), k.fields().encrypt("v" + i, ctx(i)));
        k.rotate(FIELDS);
        List<Long> progress = new ArrayList<>();
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).batchSize(1).progress(p -> progress.add(p.scanned())).run(table);
        assertThat(r.rewritten()).isEqualTo(3);
        assertThat(progress).containsExactly(1L, 2L, 3L, 3L);
        assertThat(table.batches).isEqualTo(4);
    }

    /** A last batch that is exactly full needs one more (empty) read to know the walk is complete. */
    @Test
    void aFullLastBatchIsFollowedByAnEmptyOneBeforeTheWalkIsComplete() {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        for (int i = 0; i < 20; i++) table.put(String.format("%02d", i), ctx(i), k.fields().encrypt("v", ctx(i)));
        FieldRewriter w = FieldRewriter.reencrypting(k.fields()).batchSize(10);
        RewriteReport two = w.resume(table, null, 2);
        assertThat(two.scanned()).isEqualTo(20);
        assertThat(two.complete()).isFalse();
        assertThat(two.clean()).isFalse();
        RewriteReport done = w.resume(table, two, 1);
        assertThat(done.complete()).isTrue();
        assertThat(done.scanned()).isEqualTo(20);
        assertThat(done.alreadyCurrent()).isEqualTo(20);
        assertThat(done.lastCursor()).isEqualTo("19");
        assertThat(w.resume(table, null, 0).scanned()).as("zero batches reads nothing").isZero();
    }

    @Test
    void eachKindOfStoredValueIsCountedForWhatItIs() throws Exception {
        Keyring k = TestKeyrings.fresh();
        Keyring other = TestKeyrings.fresh();
        ListSource table = new ListSource();
        table.put("a-null", ctx(0), null);
        table.put("b-current", ctx(1), null);
        table.put("c-plain", ctx(2), "not encrypted yet");
        table.put("d-malformed", ctx(3), "bw1.%%%");
        String foreign = other.fields().encrypt("other keyring", ctx(4));
        table.put("e-foreign", ctx(4), foreign);
        int old = k.info(FIELDS).primaryKeyId();
        String wrongRow = k.fields().encrypt("copied from row 9", ctx(9));
        table.put("f-wrong-context", ctx(5), wrongRow);
        table.put("g-old", ctx(6), k.fields().encrypt("old", ctx(6)));
        k.rotate(FIELDS);
        table.put("b-current", ctx(1), k.fields().encrypt("current", ctx(1)));

        RewriteReport r = FieldRewriter.reencrypting(k.fields()).run(table);
        assertThat(r.scanned()).isEqualTo(7);
        assertThat(r.alreadyCurrent()).as("null and current").isEqualTo(2);
        assertThat(r.failed()).as("plaintext, malformed, foreign, wrong context").isEqualTo(4);
        assertThat(r.rewritten()).isEqualTo(1);
        assertThat(r.conflicts()).isZero();
        assertThat(r.plaintextEncrypted()).isZero();
        assertThat(r.complete()).isTrue();
        assertThat(r.clean()).isFalse();
        // values that could not be moved keep their keys referenced; a malformed or plaintext one names no key
        assertThat(r.keyIdsStillReferenced()).containsExactlyInAnyOrder(old, other.fields().keyIdOf(foreign));
        assertThat(r.provesKeyUnused(old)).isFalse();
        // left as they were
        assertThat(table.values.get("c-plain")).isEqualTo("not encrypted yet");
        assertThat(table.values.get("f-wrong-context")).isEqualTo(wrongRow);
        assertThat(table.values.get("a-null")).isNull();
        assertThat(k.fields().decrypt(table.values.get("g-old"), ctx(6))).isEqualTo("old");
        assertThat(k.fields().needsReencryption(table.values.get("g-old"))).isFalse();
    }

    @Test
    void aPlaintextValueChangedConcurrentlyIsCountedAsAConflictAndLeftAlone() {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        table.put("r1", ctx(1), "plain one");
        table.put("r2", ctx(2), "plain two");
        table.beforeReplace = id -> {
            if (id.equals("r2")) table.values.put("r2", "edited meanwhile");
            return id;
        };
        RewriteReport r = FieldRewriter.encryptingPlaintext(k.fields()).run(table);
        assertThat(r.plaintextEncrypted()).isEqualTo(1);
        assertThat(r.conflicts()).isEqualTo(1);
        assertThat(r.keyIdsStillReferenced()).isEmpty();
        assertThat(r.clean()).isFalse();
        assertThat(table.values.get("r2")).isEqualTo("edited meanwhile");
        assertThat(FieldCipher.isCiphertext(table.values.get("r1"))).isTrue();
    }

    /** Resuming adds to every total of the previous report, including the keys left referenced. */
    @Test
    void resumingCarriesEveryTotalOver() throws Exception {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        int old = k.info(FIELDS).primaryKeyId();
        table.put("1", ctx(1), "plain");
        table.put("2", ctx(2), null);
        table.put("3", ctx(3), k.fields().encrypt("tampered", ctx(99)));
        table.put("4", ctx(4), k.fields().encrypt("conflict", ctx(4)));
        table.put("5", ctx(5), k.fields().encrypt("moved", ctx(5)));
        table.put("6", ctx(6), "late plain");
        k.rotate(FIELDS);
        table.beforeReplace = id -> {
            if (id.equals("4")) table.values.put("4", "changed");
            return id;
        };
        FieldRewriter w = FieldRewriter.encryptingPlaintext(k.fields()).batchSize(5);
        RewriteReport first = w.resume(table, null, 1);
        assertThat(first.lastCursor()).isEqualTo("5");
        RewriteReport done = w.resume(table, first, 10);
        assertThat(done.scanned()).isEqualTo(6);
        assertThat(done.plaintextEncrypted()).isEqualTo(2);
        assertThat(done.alreadyCurrent()).isEqualTo(1);
        assertThat(done.failed()).isEqualTo(1);
        assertThat(done.conflicts()).isEqualTo(1);
        assertThat(done.rewritten()).isEqualTo(1);
        assertThat(done.keyIdsStillReferenced()).containsExactly(old);
        assertThat(done.lastCursor()).isEqualTo("6");
        assertThat(done.complete()).isTrue();
        assertThat(done.keysetId()).isEqualTo("fields");
        assertThat(done.primaryKeyId()).isEqualTo(k.info(FIELDS).primaryKeyId());
    }

    @Test
    void aWalkCannotResumeFromAnotherKeysetsReport() {
        Keyring k = TestKeyrings.fresh();
        RewriteReport credentials = FieldRewriter.reencrypting(k.connectionCredentials()).run(new ListSource());
        assertThatThrownBy(() -> FieldRewriter.reencrypting(k.fields()).resume(new ListSource(), credentials, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connection-credentials");
        BlindIndex idx = k.blindIndexes().column(ColumnContext.of("w", "t", "c"), Normalizer.EXACT);
        assertThatThrownBy(() -> new BlindIndexRebuild(idx, k).resume(new SearchableFieldsTest.IndexTable(), credentials, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyWalkIsCleanButProvesNothingAboutThePrimary() {
        Keyring k = TestKeyrings.fresh();
        int primary = k.info(FIELDS).primaryKeyId();
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).run(new ListSource());
        assertThat(r.clean()).isTrue();
        assertThat(r.lastCursor()).isNull();
        assertThat(r.scanned()).isZero();
        assertThat(r.provesKeyUnused(primary)).isFalse();
        assertThat(r.provesKeyUnused(primary + 1)).isTrue();
    }

    @Test
    void indexRebuildCountsNullValuesAsCurrentAndKeepsConflictingKeysReferenced() {
        Keyring k = TestKeyrings.fresh();
        KeysetName bi = KeysetName.of(KeyPurpose.BLIND_INDEX);
        BlindIndex idx = k.blindIndexes().column(ColumnContext.of("ws1", "customers", "email"), Normalizer.EMAIL);
        SearchableFieldsTest.IndexTable table = new SearchableFieldsTest.IndexTable();
        table.put("1", null, null);
        table.put("2", "a@example.com", idx.compute("a@example.com"));
        table.put("3", "b@example.com", idx.compute("b@example.com"));
        table.put("4", "c@example.com", "bi1.zz");
        table.put("5", "d@example.com", "bi1.notahex!.AAAA");
        int old = k.info(bi).primaryKeyId();
        k.rotate(bi);
        BatchSource<IndexedRow> racing = new BatchSource<>() {
            @Override
            public List<IndexedRow> nextBatch(String afterCursor, int limit) {
                return table.nextBatch(afterCursor, limit);
            }

            @Override
            public boolean replace(IndexedRow item, String newValue) {
                // the application rewrites rows 3 to 5 between the walk's read and its write
                if (!item.cursor().equals("2")) table.index.put(item.cursor(), "changed by the application");
                return table.replace(item, newValue);
            }

            @Override
            public String cursorOf(IndexedRow item) {
                return table.cursorOf(item);
            }
        };

        RewriteReport r = new BlindIndexRebuild(idx, k).run(racing);
        assertThat(r.scanned()).isEqualTo(5);
        assertThat(r.alreadyCurrent()).isEqualTo(1);
        assertThat(r.rewritten()).isEqualTo(1);
        assertThat(r.conflicts()).isEqualTo(3);
        assertThat(r.keysetId()).isEqualTo("blind-index");
        // row 3 still has its index under the old key; the malformed indexes of rows 4 and 5 name no key
        assertThat(r.keyIdsStillReferenced()).containsExactly(old);
        assertThat(r.provesKeyUnused(old)).isFalse();
        assertThatThrownBy(() -> k.disableKey(bi, old, List.of(r))).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
    }

    @Test
    void indexRebuildResumesFromItsCursor() {
        Keyring k = TestKeyrings.fresh();
        BlindIndex idx = k.blindIndexes().column(ColumnContext.of("ws1", "customers", "email"), Normalizer.EMAIL);
        SearchableFieldsTest.IndexTable table = new SearchableFieldsTest.IndexTable();
        for (int i = 0; i < 10; i++) table.put(String.format("%02d", i), "u" + i + "@example.com", idx.compute("u" + i + "@example.com"));
        k.rotate(KeysetName.of(KeyPurpose.BLIND_INDEX));
        List<Long> progress = new ArrayList<>();
        BlindIndexRebuild rebuild = new BlindIndexRebuild(idx, k).batchSize(4).progress(p -> progress.add(p.scanned()));
        RewriteReport part = rebuild.resume(table, null, 1);
        assertThat(part.scanned()).isEqualTo(4);
        assertThat(part.lastCursor()).isEqualTo("03");
        assertThat(part.complete()).isFalse();
        RewriteReport done = rebuild.resume(table, part, Long.MAX_VALUE);
        assertThat(done.scanned()).isEqualTo(10);
        assertThat(done.rewritten()).isEqualTo(10);
        assertThat(done.clean()).isTrue();
        assertThat(progress).containsExactly(4L, 8L, 10L);
        assertThat(table.index.values()).allMatch(idx::isCurrent);
    }
}
