package dev.bulwark.crypto;

import dev.bulwark.testkit.TestDatabase;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures of the JDBC keyset store are typed STORAGE errors carrying the SQLState, never key material. */
class JdbcKeysetStoreTest {

    @Test
    void aStoreNeedsADataSource() {
        assertThatThrownBy(() -> new JdbcKeysetStore(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyOperationOnAnUnreachableDatabaseIsATypedStorageError() {
        JdbcKeysetStore store = new JdbcKeysetStore(FailingDataSource.down());
        ThrowingCallable[] calls = {
                store::createTableIfMissing, () -> store.find("fields"), () -> store.insert("fields", new byte[] {1}),
                () -> store.update("fields", new byte[] {1}, 1), () -> store.markDestroyed("fields", 1L), store::names};
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOfSatisfying(KeyringException.class, e -> {
                assertThat(e.reason()).isEqualTo(KeyringException.Reason.STORAGE);
                assertThat(e.getMessage()).contains("SQLState 08001");
                assertThat(e.getCause()).isInstanceOf(SQLException.class);
            });
        }
    }

    @Test
    void aKeyringOverAnUnreachableStoreFailsWithStorageNotWithANewKey() {
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(new JdbcKeysetStore(FailingDataSource.down())).build();
        assertThatThrownBy(() -> k.provisionShared(Keyring.DataInventory.EMPTY)).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.STORAGE));
        assertThatThrownBy(() -> k.fields().encrypt("x", FieldContext.of("w", "t", "c", "r"))).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.STORAGE));
    }

    /** A quick H2 run of the store and a keyring over it; {@code KeysetStoreIT} runs the same on PostgreSQL. */
    @Test
    void keyringOverTheJdbcStoreOnH2RotatesAndShreds() throws Exception {
        try (TestDatabase db = TestDatabase.h2()) {
            JdbcKeysetStore store = new JdbcKeysetStore(db.dataSource()).createTableIfMissing().createTableIfMissing();
            assertThat(store.find("fields")).isEmpty();
            MasterKey mk = TestKeyrings.randomMasterKey();
            Keyring k = Keyring.builder().masterKey(mk).store(store).build();
            assertThat(k.provisionShared(Keyring.DataInventory.EMPTY)).hasSize(9);
            k.createWorkspaceKeys("acme");
            FieldContext ctx = FieldContext.of("acme", "invoices", "notes", "7");
            String before = k.fields().encrypt("shared", ctx);
            int primary = k.rotate(KeysetName.of(KeyPurpose.FIELDS));
            String shredded = k.workspaceFields("acme").encrypt("acme", ctx);
            assertThat(k.destroyWorkspaceKeys("acme")).hasSize(2);
            assertThat(store.insert("fields", new byte[] {1})).isFalse();
            assertThat(store.find("fields").orElseThrow().version()).isEqualTo(2);
            assertThat(store.find("workspace/acme/data").orElseThrow().destroyed()).isTrue();
            assertThat(store.names()).hasSize(11).isSorted();

            Keyring restarted = Keyring.builder().masterKey(mk).store(new JdbcKeysetStore(db.dataSource())).build();
            assertThat(restarted.fields().decrypt(before, ctx)).isEqualTo("shared");
            assertThat(restarted.info(KeysetName.of(KeyPurpose.FIELDS)).primaryKeyId()).isEqualTo(primary);
            assertThatThrownBy(() -> restarted.workspaceFields("acme").decrypt(shredded, ctx)).isInstanceOf(KeyDestroyedException.class);
            assertThatThrownBy(() -> restarted.createWorkspaceKeys("acme")).isInstanceOfSatisfying(KeyringException.class,
                    e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
            assertThat(KeyringHealthCheck.check(restarted, n -> 1, List.of(KeysetName.of(KeyPurpose.FIELDS))).destroyedKeysets()).isEqualTo(2);
        }
    }

    @Test
    void aConcurrentInsertOfTheSameNameOnH2IsReportedAsExisting() {
        try (TestDatabase db = TestDatabase.h2()) {
            JdbcKeysetStore other = new JdbcKeysetStore(db.dataSource()).createTableIfMissing();
            JdbcKeysetStore store = new JdbcKeysetStore(new FailingDataSource(db.dataSource(), n -> {
                if (n == 2) other.insert("fields", new byte[] {7});
            }));
            assertThat(store.insert("fields", new byte[] {1})).isFalse();
            assertThat(other.find("fields").orElseThrow().encryptedKeyset()).containsExactly(7);
            assertThat(store.update("absent", new byte[] {1}, 1)).isFalse();
            assertThat(store.markDestroyed("absent", 1L)).isFalse();
        }
    }

    /** Only a unique-key violation means "someone else inserted it"; any other failure of the insert is a storage error. */
    @Test
    void anInsertThatFailsForAnotherReasonIsAStorageErrorNotExists() {
        try (TestDatabase db = TestDatabase.h2()) {
            new JdbcKeysetStore(db.dataSource()).createTableIfMissing();
            JdbcKeysetStore store = new JdbcKeysetStore(new FailingDataSource(db.dataSource(), n -> {
                if (n == 2) throw new SQLException("could not extend file: No space left on device", "53100");
            }));
            assertThatThrownBy(() -> store.insert("fields", new byte[] {1})).isInstanceOfSatisfying(KeyringException.class, e -> {
                assertThat(e.reason()).isEqualTo(KeyringException.Reason.STORAGE);
                assertThat(e.getMessage()).contains("53100");
            });
        }
    }
}
