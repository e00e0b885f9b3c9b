package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaintextMigrationTest {

    @Test
    void liveColumnCanBeMigratedFromPlaintextWithReadsWorkingThroughout() throws Exception {
        Keyring k = TestKeyrings.fresh();
        PlaintextMigration migration = new PlaintextMigration(k.fields());
        ListSource table = new ListSource();
        for (int i = 0; i < 40; i++) {
            FieldContext ctx = RotationAndShreddingProperties.ctx(i);
            table.put(String.format("%03d", i), ctx, i % 4 == 0 ? k.fields().encrypt("note " + i, ctx) : "note " + i);
        }
        PlaintextMigration.Census before = migration.census();
        table.values.values().forEach(before::add);
        assertThat(before.plaintextRemaining()).isEqualTo(30);
        assertThat(before.encrypted()).isEqualTo(10);

        // reads work on the mixed column
        for (var e : table.values.entrySet()) {
            int i = Integer.parseInt(e.getKey());
            assertThat(migration.read(e.getValue(), table.contexts.get(e.getKey()))).isEqualTo("note " + i);
        }
        // the plain re-encryption walk refuses to treat plaintext as done
        RewriteReport strict = FieldRewriter.reencrypting(k.fields()).run(table);
        assertThat(strict.failed()).isEqualTo(30);
        assertThat(strict.clean()).isFalse();

        RewriteReport r = FieldRewriter.encryptingPlaintext(k.fields()).batchSize(8).run(table);
        assertThat(r.plaintextEncrypted()).isEqualTo(30);
        assertThat(r.clean()).isTrue();

        PlaintextMigration.Census after = migration.census();
        table.values.values().forEach(after::add);
        assertThat(after.plaintextRemaining()).isZero();
        assertThat(after.encrypted()).isEqualTo(40);
        for (var e : table.values.entrySet()) {
            assertThat(k.fields().decrypt(e.getValue(), table.contexts.get(e.getKey()))).isEqualTo("note " + Integer.parseInt(e.getKey()));
        }
    }

    @Test
    void plaintextLookingLikeCiphertextIsReportedNotReturned() {
        Keyring k = TestKeyrings.fresh();
        PlaintextMigration m = new PlaintextMigration(k.fields());
        assertThatThrownBy(() -> m.read("bw1.hello", FieldContext.of("w", "t", "c", "r"))).isInstanceOf(DecryptionException.class);
        PlaintextMigration.Census c = m.census().add("bw1.hello").add(null).add("plain");
        assertThat(c.malformed()).isEqualTo(1);
        assertThat(c.nulls()).isEqualTo(1);
        assertThat(c.plaintextRemaining()).isEqualTo(1);
    }
}
