package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each cipher uses only its own keyset: other purposes, other workspaces and destroyed keysets give typed failures. */
class KeyBoundaryTest {
    static final StreamContext FILE = StreamContext.of("acme", "invoice.pdf");
    static final ColumnContext EMAIL = ColumnContext.of("acme", "customers", "email");

    static byte[] encrypt(StreamCipher cipher, String text, StreamContext ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream os = cipher.encrypting(out, ctx)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static String decrypt(StreamCipher cipher, byte[] ct, StreamContext ctx) throws Exception {
        try (InputStream in = cipher.decrypting(new ByteArrayInputStream(ct), ctx)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void filesBackupsAndEachWorkspaceHaveSeparateStreamKeys() throws Exception {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        k.createWorkspaceKeys("globex");
        byte[] ct = encrypt(k.workspaceFiles("acme"), "acme invoice", FILE);
        assertThat(ct).startsWith('B', 'W', 'S', '1');
        assertThat(decrypt(k.workspaceFiles("acme"), ct, FILE)).isEqualTo("acme invoice");
        for (StreamCipher other : new StreamCipher[] {k.workspaceFiles("globex"), k.files(), k.backups()}) {
            assertThatThrownBy(() -> decrypt(other, ct, FILE)).as("%s", other).isInstanceOf(IOException.class);
        }
        assertThat(k.workspaceFiles("acme").keyset()).isEqualTo(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "acme"));
        assertThat(k.backups().keyset()).isEqualTo(KeysetName.of(KeyPurpose.BACKUPS));
        byte[] backup = encrypt(k.backups(), "dump", FILE);
        assertThat(decrypt(k.backups(), backup, FILE)).isEqualTo("dump");
    }

    @Test
    void nothingIsWrittenUnderADestroyedWorkspaceFileKeyset() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        k.destroyWorkspaceKeys("acme");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThatThrownBy(() -> k.workspaceFiles("acme").encrypting(sink, FILE)).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThat(sink.size()).isZero();
    }

    @Test
    void shreddedWorkspaceValuesAreReportedAsDestroyedEverywhere() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        FieldContext ctx = FieldContext.of("acme", "customers", "notes", "1");
        FieldCipher fields = k.workspaceFields("acme");
        String stored = fields.encrypt("note", ctx);
        k.destroyWorkspaceKeys("acme");
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : new org.assertj.core.api.ThrowableAssert.ThrowingCallable[] {
                () -> fields.decryptBytes(stored, ctx), () -> fields.needsReencryption(stored), () -> fields.reencrypt(stored, ctx)}) {
            KeyDestroyedException e = catchThrowableOfType(KeyDestroyedException.class, call);
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(DecryptionException.Reason.KEY_DESTROYED);
            assertThat(e.keysetId()).isEqualTo("workspace/acme/data");
        }
        assertThatThrownBy(() -> fields.encrypt(new byte[1], ctx)).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThatThrownBy(() -> FieldRewriter.reencrypting(fields).run(new ListSource())).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
    }

    /** Shared keysets can only be destroyed in the store itself (e.g. by an operator); every cipher then refuses to work. */
    @Test
    void aSharedKeysetDestroyedInTheStoreIsNeverUsed() throws Exception {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        String siv = k.searchableFields().encrypt("ann@example.com", EMAIL);
        byte[] file = encrypt(k.files(), "x", FILE);
        for (String name : new String[] {"searchable-fields", "blind-index", "files"}) store.markDestroyed(name, 1L);
        k.clearCache();

        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> k.searchableFields().decrypt(siv, EMAIL));
        assertThat(e).isInstanceOf(KeyDestroyedException.class);
        assertThat(catchThrowableOfType(DecryptionException.class, () -> k.searchableFields().needsReencryption(siv)))
                .isInstanceOf(KeyDestroyedException.class);
        assertThatThrownBy(() -> k.searchableFields().encrypt("x", EMAIL)).isInstanceOfSatisfying(KeyringException.class,
                x -> assertThat(x.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThatThrownBy(() -> k.searchableFields().lookupValues("x", EMAIL)).isInstanceOfSatisfying(KeyringException.class,
                x -> assertThat(x.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        BlindIndex idx = k.blindIndexes().column(EMAIL, Normalizer.EMAIL);
        assertThatThrownBy(() -> idx.compute("x")).isInstanceOfSatisfying(KeyringException.class,
                x -> assertThat(x.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThatThrownBy(() -> idx.lookupValues("x")).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> idx.isCurrent("bi1.x")).isInstanceOf(KeyringException.class);
        assertThatThrownBy(() -> decrypt(k.files(), file, FILE)).isInstanceOf(KeyDestroyedException.class);
    }

    @Test
    void searchableValuesFromAnotherKeysetOrTamperedAreTyped() throws Exception {
        Keyring k = TestKeyrings.fresh();
        Keyring other = TestKeyrings.fresh();
        String foreign = other.searchableFields().encrypt("ann@example.com", EMAIL);
        assertThat(catchThrowableOfType(DecryptionException.class, () -> k.searchableFields().decrypt(foreign, EMAIL)).reason())
                .isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
        String mine = k.searchableFields().encrypt("ann@example.com", EMAIL);
        String tampered = mine.substring(0, 20) + (mine.charAt(20) == 'A' ? 'B' : 'A') + mine.substring(21);
        assertThat(catchThrowableOfType(DecryptionException.class, () -> k.searchableFields().decrypt(tampered, EMAIL)).reason())
                .isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
        assertThat(catchThrowableOfType(DecryptionException.class,
                () -> k.searchableFields().decrypt(k.fields().encrypt("x", FieldContext.of("acme", "t", "c", "r")), EMAIL)).reason())
                .isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(k.searchableFields().needsReencryption(mine)).isFalse();
        assertThat(k.searchableFields().lookupValues("ann@example.com", EMAIL)).containsExactly(mine);
    }

    @Test
    void reencryptionMovesAValueToThePrimaryWithoutChangingIt() throws Exception {
        Keyring k = TestKeyrings.fresh();
        FieldContext ctx = FieldContext.of("acme", "customers", "notes", "1");
        String old = k.fields().encrypt("note", ctx);
        int primary = k.rotate(KeysetName.of(KeyPurpose.FIELDS));
        assertThat(k.fields().needsReencryption(old)).isTrue();
        String moved = k.fields().reencrypt(old, ctx);
        assertThat(k.fields().keyIdOf(moved)).isEqualTo(primary);
        assertThat(k.fields().needsReencryption(moved)).isFalse();
        assertThat(k.fields().decrypt(moved, ctx)).isEqualTo("note");
        assertThat(catchThrowableOfType(DecryptionException.class, () -> k.fields().reencrypt(old, FieldContext.of("acme", "customers", "notes", "2")))
                .reason()).isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
    }

    @Test
    void migrationReadsPassNullThroughAndDecryptCiphertext() throws Exception {
        Keyring k = TestKeyrings.fresh();
        PlaintextMigration m = new PlaintextMigration(k.fields());
        FieldContext ctx = FieldContext.of("acme", "customers", "notes", "1");
        assertThat(m.read(null, ctx)).isNull();
        assertThat(m.read("plain", ctx)).isEqualTo("plain");
        assertThat(m.read(k.fields().encrypt("secret", ctx), ctx)).isEqualTo("secret");
        assertThatThrownBy(() -> new PlaintextMigration(null)).isInstanceOf(NullPointerException.class);
        PlaintextMigration.Census c = m.census();
        String a = k.fields().encrypt("a", ctx);
        int second = k.rotate(KeysetName.of(KeyPurpose.FIELDS));
        c.add(a).add(a).add(k.fields().encrypt("b", ctx)).add("plain").add(null);
        assertThat(c.encrypted()).isEqualTo(3);
        assertThat(c.encryptedByKeyId()).containsEntry(Integer.toUnsignedString(k.fields().keyIdOf(a)), 2L)
                .containsEntry(Integer.toUnsignedString(second), 1L).hasSize(2);
        assertThat(c.plaintextRemaining()).isEqualTo(1);
        assertThat(c.nulls()).isEqualTo(1);
        assertThat(c.malformed()).isZero();
    }
}
