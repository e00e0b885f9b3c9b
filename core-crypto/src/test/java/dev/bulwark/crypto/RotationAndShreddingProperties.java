package dev.bulwark.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RotationAndShreddingProperties {

    @Property(tries = 100)
    void valuesUnderRotatedOutKeysStillDecrypt(@ForAll @Size(min = 1, max = 20) List<@StringLength(max = 50) String> plaintexts,
                                               @ForAll @IntRange(min = 1, max = 4) int rotations) throws Exception {
        Keyring k = TestKeyrings.fresh();
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < plaintexts.size(); i++) {
            stored.add(k.fields().encrypt(plaintexts.get(i), ctx(i)));
            if (i % 3 == 0 && rotations > 0) {
                k.rotate(KeysetName.of(KeyPurpose.FIELDS));
                rotations--;
            }
        }
        for (int i = 0; i < plaintexts.size(); i++) {
            assertThat(k.fields().decrypt(stored.get(i), ctx(i))).isEqualTo(plaintexts.get(i));
        }
    }

    @Property(tries = 50)
    void reencryptionMovesEveryValueToThePrimary(@ForAll @IntRange(min = 0, max = 300) int rows,
                                                 @ForAll @IntRange(min = 1, max = 50) int batchSize) throws Exception {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        for (int i = 0; i < rows; i++) {
            table.put(String.format("%06d", i), ctx(i), k.fields().encrypt("v" + i, ctx(i)));
            if (i == rows / 2) k.rotate(KeysetName.of(KeyPurpose.FIELDS));
        }
        int oldPrimary = k.info(KeysetName.of(KeyPurpose.FIELDS)).primaryKeyId();
        int newPrimary = k.rotate(KeysetName.of(KeyPurpose.FIELDS));
        List<Long> progress = new ArrayList<>();
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).batchSize(batchSize)
                .progress(p -> progress.add(p.scanned())).run(table);

        assertThat(r.clean()).isTrue();
        assertThat(r.scanned()).isEqualTo(rows);
        assertThat(r.rewritten()).isEqualTo(rows);
        assertThat(progress).isSorted().last().isEqualTo((long) rows);
        for (var e : table.values.entrySet()) {
            int i = Integer.parseInt(e.getKey());
            assertThat(k.fields().keyIdOf(e.getValue())).isEqualTo(newPrimary);
            assertThat(k.fields().decrypt(e.getValue(), ctx(i))).isEqualTo("v" + i);
        }
        assertThat(r.provesKeyUnused(oldPrimary)).isTrue();
    }

    @Test
    void aWalkResumesFromItsCursorAndAccumulates() throws Exception {
        Keyring k = TestKeyrings.fresh();
        ListSource table = new ListSource();
        for (int i = 0; i < 95; i++) table.put(String.format("%03d", i), ctx(i), k.fields().encrypt("v" + i, ctx(i)));
        k.rotate(KeysetName.of(KeyPurpose.FIELDS));
        FieldRewriter w = FieldRewriter.reencrypting(k.fields()).batchSize(10);
        RewriteReport partial = w.resume(table, null, 3);
        assertThat(partial.complete()).isFalse();
        assertThat(partial.scanned()).isEqualTo(30);
        assertThat(partial.lastCursor()).isEqualTo("029");
        RewriteReport done = w.resume(table, partial, Long.MAX_VALUE);
        assertThat(done.complete()).isTrue();
        assertThat(done.scanned()).isEqualTo(95);
        assertThat(done.rewritten()).isEqualTo(95);
    }

    @Test
    void aConcurrentUpdateIsNeverOverwrittenAndBlocksKeyRetirement() throws Exception {
        Keyring k = TestKeyrings.fresh();
        KeysetName fields = KeysetName.of(KeyPurpose.FIELDS);
        ListSource table = new ListSource();
        for (int i = 0; i < 5; i++) table.put("r" + i, ctx(i), k.fields().encrypt("v" + i, ctx(i)));
        int old = k.info(fields).primaryKeyId();
        k.rotate(fields);
        String concurrent = k.fields().encrypt("written by the app meanwhile", ctx(2));
        table.beforeReplace = id -> {
            if (id.equals("r2")) table.values.put("r2", concurrent);
            return id;
        };
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).run(table);
        assertThat(r.conflicts()).isEqualTo(1);
        assertThat(table.values.get("r2")).isEqualTo(concurrent);
        assertThat(r.provesKeyUnused(old)).isFalse();
        assertThatThrownBy(() -> k.disableKey(fields, old, List.of(r)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
    }

    @Test
    void oldKeyCanBeDisabledThenDestroyedOnlyWithCleanEvidence() throws Exception {
        Keyring k = TestKeyrings.fresh();
        KeysetName fields = KeysetName.of(KeyPurpose.FIELDS);
        ListSource table = new ListSource();
        for (int i = 0; i < 20; i++) table.put("r" + i, ctx(i), k.fields().encrypt("v" + i, ctx(i)));
        String leftBehind = k.fields().encrypt("not in the walked table", ctx(99));
        int old = k.info(fields).primaryKeyId();
        k.rotate(fields);

        assertThatThrownBy(() -> k.disableKey(fields, old, List.of())).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> k.destroyKey(fields, old, List.of(FieldRewriter.reencrypting(k.fields()).run(table))))
                .hasMessageContaining("disable");
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).run(table);
        k.disableKey(fields, old, List.of(r));

        assertThat(k.info(fields).keys()).anySatisfy(key -> {
            assertThat(key.id()).isEqualTo(old);
            assertThat(key.enabled()).isFalse();
        });
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> k.fields().decrypt(leftBehind, ctx(99)));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.KEY_DISABLED);

        k.destroyKey(fields, old, List.of(r));
        assertThat(k.info(fields).keys()).noneMatch(key -> key.id() == old);
        e = catchThrowableOfType(DecryptionException.class, () -> k.fields().decrypt(leftBehind, ctx(99)));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
        // what the walk moved still reads
        assertThat(k.fields().decrypt(table.values.get("r7"), ctx(7))).isEqualTo("v7");
    }

    @Test
    void thePrimaryKeyCannotBeDisabled() {
        Keyring k = TestKeyrings.fresh();
        KeysetName fields = KeysetName.of(KeyPurpose.FIELDS);
        int primary = k.info(fields).primaryKeyId();
        RewriteReport r = FieldRewriter.reencrypting(k.fields()).run(new ListSource());
        assertThatThrownBy(() -> k.disableKey(fields, primary, List.of(r))).hasMessageContaining("primary");
    }

    @Property(tries = 30)
    void destroyedWorkspaceGivesTypedErrorAndOtherWorkspacesAreFine(@ForAll @StringLength(max = 100) String secret) throws Exception {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        k.createWorkspaceKeys("globex");
        FieldContext a = FieldContext.of("acme", "customers", "notes", "1");
        FieldContext g = FieldContext.of("globex", "customers", "notes", "1");
        String aValue = k.workspaceFields("acme").encrypt(secret, a);
        String gValue = k.workspaceFields("globex").encrypt(secret, g);

        assertThat(k.destroyWorkspaceKeys("acme")).hasSize(2);

        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> k.workspaceFields("acme").decrypt(aValue, a));
        assertThat(e).isInstanceOf(KeyDestroyedException.class);
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.KEY_DESTROYED);
        assertThatThrownBy(() -> k.workspaceFiles("acme").decrypting(new java.io.ByteArrayInputStream("BWS1xxxx".getBytes()),
                StreamContext.of("acme", "f"))).isInstanceOf(KeyDestroyedException.class);
        assertThat(k.workspaceFields("globex").decrypt(gValue, g)).isEqualTo(secret);
        assertThat(k.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "acme"))).isTrue();
        // a shredded workspace id is never given fresh keys (old backups stay unreadable)
        assertThatThrownBy(() -> k.createWorkspaceKeys("acme"))
                .isInstanceOfSatisfying(KeyringException.class, x -> assertThat(x.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThatThrownBy(() -> k.workspaceFields("acme").encrypt("new", a)).isInstanceOf(KeyringException.class);
    }

    @Test
    void workspaceValuesCannotBeReadWithAnotherWorkspacesKeys() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        k.createWorkspaceKeys("globex");
        FieldContext ctx = FieldContext.of("acme", "customers", "notes", "1");
        String v = k.workspaceFields("acme").encrypt("acme secret", ctx);
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> k.workspaceFields("globex").decrypt(v, ctx));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
    }

    static FieldContext ctx(int row) {
        return FieldContext.of("ws1", "customers", "notes", "row-" + row);
    }
}
