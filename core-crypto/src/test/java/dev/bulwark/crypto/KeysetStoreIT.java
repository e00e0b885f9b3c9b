package dev.bulwark.crypto;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The JDBC keyset store on a real PostgreSQL and on H2, through the same tests. */
class KeysetStoreIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void storeContract(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            JdbcKeysetStore store = new JdbcKeysetStore(db.dataSource()).createTableIfMissing().createTableIfMissing();
            assertThat(store.find("fields")).isEmpty();
            assertThat(store.insert("fields", new byte[] {1, 2, 3})).isTrue();
            assertThat(store.insert("fields", new byte[] {9})).isFalse();
            var s = store.find("fields").orElseThrow();
            assertThat(s.encryptedKeyset()).containsExactly(1, 2, 3);
            assertThat(s.version()).isEqualTo(1);
            assertThat(store.update("fields", new byte[] {4}, 2)).as("stale version").isFalse();
            assertThat(store.update("fields", new byte[] {4}, 1)).isTrue();
            assertThat(store.find("fields").orElseThrow().version()).isEqualTo(2);
            assertThat(store.markDestroyed("fields", 1234L)).isTrue();
            var d = store.find("fields").orElseThrow();
            assertThat(d.destroyed()).isTrue();
            assertThat(d.destroyedAtEpochMillis()).isEqualTo(1234L);
            assertThat(store.update("fields", new byte[] {5}, d.version())).as("destroyed keysets stay destroyed").isFalse();
            assertThat(store.names()).containsExactly("fields");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void keyringOverJdbcRotatesShredsAndSurvivesRestart(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = kind.open()) {
            JdbcKeysetStore store = new JdbcKeysetStore(db.dataSource()).createTableIfMissing();
            MasterKey mk = TestKeyrings.randomMasterKey();
            Keyring k = Keyring.builder().masterKey(mk).store(store).build();
            k.provisionShared(Keyring.DataInventory.EMPTY);
            k.createWorkspaceKeys("acme");
            k.createWorkspaceKeys("globex");
            FieldContext a = FieldContext.of("acme", "invoices", "notes", "7");
            FieldContext g = FieldContext.of("globex", "invoices", "notes", "7");
            String before = k.fields().encrypt("shared", a);
            k.rotate(KeysetName.of(KeyPurpose.FIELDS));
            String aVal = k.workspaceFields("acme").encrypt("acme", a);
            String gVal = k.workspaceFields("globex").encrypt("globex", g);
            k.destroyWorkspaceKeys("acme");

            // a second node / a restart: everything comes from the database
            Keyring restarted = Keyring.builder().masterKey(mk).store(new JdbcKeysetStore(db.dataSource())).build();
            assertThat(KeyringHealthCheck.check(restarted, n -> 1, List.of(KeysetName.of(KeyPurpose.FIELDS))).healthy()).isTrue();
            assertThat(restarted.fields().decrypt(before, a)).isEqualTo("shared");
            assertThat(restarted.fields().needsReencryption(before)).isTrue();
            assertThat(restarted.workspaceFields("globex").decrypt(gVal, g)).isEqualTo("globex");
            DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> restarted.workspaceFields("acme").decrypt(aVal, a));
            assertThat(e).isInstanceOf(KeyDestroyedException.class);

            // a rotation on one node is picked up by another that re-reads (cache age 0 here)
            Keyring nodeB = Keyring.builder().masterKey(mk).store(new JdbcKeysetStore(db.dataSource())).cacheMaxAge(java.time.Duration.ZERO).build();
            int newPrimary = restarted.rotate(KeysetName.of(KeyPurpose.FIELDS));
            assertThat(nodeB.fields().keyIdOf(nodeB.fields().encrypt("x", a))).isEqualTo(newPrimary);
            assertThat(nodeB.info(KeysetName.of(KeyPurpose.FIELDS)).keys()).hasSize(3);

            Keyring wrong = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(store).build();
            assertThatThrownBy(() -> KeyringHealthCheck.check(wrong, n -> 0, List.of()).requireHealthy())
                    .isInstanceOfSatisfying(KeyringException.class, x -> assertThat(x.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY));
        }
    }

    /** Two nodes provisioning the same keyset at once: the one that loses on the primary key sees "exists", not an error. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aConcurrentInsertOfTheSameNameIsReportedAsExisting(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            JdbcKeysetStore other = new JdbcKeysetStore(db.dataSource()).createTableIfMissing();
            // insert() reads first (connection 1), then inserts (connection 2): the other node inserts in between
            JdbcKeysetStore store = new JdbcKeysetStore(new FailingDataSource(db.dataSource(), n -> {
                if (n == 2) assertThat(other.insert("fields", new byte[] {7})).isTrue();
            }));
            assertThat(store.insert("fields", new byte[] {1})).isFalse();
            assertThat(other.find("fields").orElseThrow().encryptedKeyset()).containsExactly(7);
            assertThat(other.names()).containsExactly("fields");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void namesAreListedInOrderAndMissingNamesCannotBeChanged(TestDatabase.Kind kind) {
        try (TestDatabase db = kind.open()) {
            JdbcKeysetStore store = new JdbcKeysetStore(db.dataSource()).createTableIfMissing();
            for (String n : List.of("workspace/b/data", "fields", "audit")) assertThat(store.insert(n, new byte[] {1})).isTrue();
            assertThat(store.names()).containsExactly("audit", "fields", "workspace/b/data");
            assertThat(store.update("absent", new byte[] {1}, 1)).isFalse();
            assertThat(store.markDestroyed("absent", 1L)).isFalse();
            assertThat(store.find("absent")).isEmpty();
            assertThat(store.find("audit").orElseThrow().destroyedAtEpochMillis()).isZero();
        }
    }
}
