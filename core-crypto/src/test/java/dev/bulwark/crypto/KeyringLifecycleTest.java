package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Building a keyring, its cache bound, provisioning, rotation and the rules for retiring keys. */
class KeyringLifecycleTest {
    static final KeysetName FIELDS = KeysetName.of(KeyPurpose.FIELDS);
    static final FieldContext CTX = FieldContext.of("ws1", "customers", "notes", "row-1");

    @Test
    void aKeyringNeedsAMasterKeyAndAStore() {
        assertThatThrownBy(() -> Keyring.builder().store(new InMemoryKeysetStore()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("master key");
        assertThatThrownBy(() -> Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> Keyring.builder().masterKey(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Keyring.builder().store(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Keyring.builder().nanoClock(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void cacheAgeMustNotBeNegativeButMayBeZero() {
        assertThatThrownBy(() -> Keyring.builder().cacheMaxAge(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keyring.builder().cacheMaxAge(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Keyring.builder().cacheMaxAge(Duration.ZERO)).isNotNull();
    }

    /** A keyset is reused up to and including its maximum age, and re-read (one KMS call) one nanosecond later. */
    @Test
    void cachedKeysetIsUsedForExactlyTheMaxAge() throws Exception {
        StartupAndKmsTest.CountingKms kms = new StartupAndKmsTest.CountingKms(TestKeyrings.randomMasterKey().aead());
        AtomicLong now = new AtomicLong(1_000);
        Duration maxAge = Duration.ofSeconds(30);
        Keyring k = Keyring.builder().masterKey(MasterKey.fromKms(kms, "test-kms://k")).store(new InMemoryKeysetStore())
                .cacheMaxAge(maxAge).nanoClock(now::get).build();
        k.provision(Keyring.DataInventory.EMPTY, List.of(FIELDS));
        k.clearCache();
        kms.decrypts.set(0);

        String v = k.fields().encrypt("v", CTX);
        assertThat(kms.decrypts.get()).isEqualTo(1);
        now.addAndGet(maxAge.toNanos());
        assertThat(k.fields().decrypt(v, CTX)).isEqualTo("v");
        assertThat(kms.decrypts.get()).as("still within the max age").isEqualTo(1);
        now.incrementAndGet();
        assertThat(k.fields().decrypt(v, CTX)).isEqualTo("v");
        assertThat(kms.decrypts.get()).as("one nanosecond past the max age").isEqualTo(2);
        k.clearCache();
        k.fields().encrypt("w", CTX);
        assertThat(kms.decrypts.get()).as("after clearCache").isEqualTo(3);
    }

    @Test
    void aRotationByAnotherNodeIsPickedUpOnceTheCacheAgeHasPassed() throws Exception {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        MasterKey mk = TestKeyrings.randomMasterKey();
        AtomicLong now = new AtomicLong();
        Keyring nodeA = Keyring.builder().masterKey(mk).store(store).cacheMaxAge(Duration.ofMinutes(5)).nanoClock(now::get).build();
        nodeA.provision(Keyring.DataInventory.EMPTY, List.of(FIELDS));
        Keyring nodeB = Keyring.builder().masterKey(mk).store(store).build();
        int before = nodeA.fields().keyIdOf(nodeA.fields().encrypt("x", CTX));

        int rotated = nodeB.rotate(FIELDS);
        assertThat(nodeA.fields().keyIdOf(nodeA.fields().encrypt("x", CTX))).as("cached").isEqualTo(before);
        now.addAndGet(Duration.ofMinutes(5).toNanos() + 1);
        assertThat(nodeA.fields().keyIdOf(nodeA.fields().encrypt("x", CTX))).isEqualTo(rotated);
    }

    @Test
    void provisioningCreatesOnlyWhatIsMissing() {
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(new InMemoryKeysetStore()).build();
        List<KeysetName> created = k.provisionShared(Keyring.DataInventory.EMPTY);
        assertThat(created).extracting(KeysetName::id).containsExactly("fields", "searchable-fields", "blind-index", "files",
                "backups", "connection-credentials", "link-signing", "audit", "password-pepper");
        assertThat(k.provisionShared(name -> 5)).as("nothing missing, so existing data is fine").isEmpty();
        for (KeysetName n : created) assertThat(k.exists(n)).isTrue();
        assertThat(k.exists(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "ws1"))).isFalse();
        assertThat(k.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "ws1"))).isFalse();
        assertThatThrownBy(() -> k.provision(null, created)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void missingKeysetErrorTellsHowToCreateIt() {
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(new InMemoryKeysetStore()).build();
        assertThatThrownBy(() -> k.workspaceFields("ws9").encrypt("x", CTX))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MISSING_KEYSET))
                .hasMessageContaining("createWorkspaceKeys");
        assertThatThrownBy(() -> k.fields().encrypt("x", CTX))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MISSING_KEYSET))
                .hasMessageContaining("provision").hasMessageNotContaining("createWorkspaceKeys");
    }

    @Test
    void shreddingReportsWhatWasDestroyedAndLeavesOtherWorkspacesAlone() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("acme");
        k.createWorkspaceKeys("globex");
        assertThat(k.destroyWorkspaceKeys("acme")).extracting(KeysetName::id)
                .containsExactly("workspace/acme/data", "workspace/acme/files");
        assertThat(k.destroyWorkspaceKeys("never-created")).isEmpty();
        assertThat(k.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "acme"))).isTrue();
        assertThat(k.exists(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "acme"))).isTrue();
        assertThat(k.isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "globex"))).isFalse();
        assertThat(k.info(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "acme")).destroyed()).isTrue();
        assertThat(k.info(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "globex")).destroyed()).isFalse();
        assertThatThrownBy(() -> k.rotate(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "acme")))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        assertThatThrownBy(() -> k.disableKey(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "acme"), 1, List.of()))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
    }

    @Test
    void rotationReturnsTheNewPrimaryAndInfoListsItFirst() throws Exception {
        Keyring k = TestKeyrings.fresh();
        int first = k.info(FIELDS).primaryKeyId();
        int second = k.rotate(FIELDS);
        int third = k.rotate(FIELDS);
        assertThat(List.of(first, second, third)).doesNotHaveDuplicates();
        KeysetInfo info = k.info(FIELDS);
        assertThat(info.keysetId()).isEqualTo("fields");
        assertThat(info.primaryKeyId()).isEqualTo(third);
        assertThat(info.keys()).hasSize(3);
        assertThat(info.keys().get(0)).isEqualTo(new KeysetInfo.Key(third, true, true));
        assertThat(info.keys()).contains(new KeysetInfo.Key(first, true, false), new KeysetInfo.Key(second, true, false));
        assertThat(k.fields().keyIdOf(k.fields().encrypt("x", CTX))).isEqualTo(third);
        assertThat(k.fields().needsReencryption(k.fields().encrypt("x", CTX))).isFalse();
    }

    @Test
    void keysCanOnlyBeRetiredWithEvidenceForThisKeyset() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("ws1");
        int old = k.info(FIELDS).primaryKeyId();
        k.rotate(FIELDS);
        // clean, complete evidence, but for another keyset
        RewriteReport otherKeyset = FieldRewriter.reencrypting(k.connectionCredentials()).run(new ListSource());
        RewriteReport workspaceKeyset = FieldRewriter.reencrypting(k.workspaceFields("ws1")).run(new ListSource());
        RewriteReport good = FieldRewriter.reencrypting(k.fields()).run(new ListSource());
        assertThat(otherKeyset.clean()).isTrue();
        for (List<RewriteReport> evidence : List.of(List.of(otherKeyset), List.of(workspaceKeyset), List.of(good, otherKeyset))) {
            assertThatThrownBy(() -> k.disableKey(FIELDS, old, evidence))
                    .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
        }
        assertThatThrownBy(() -> k.disableKey(FIELDS, old, null))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEY_STILL_IN_USE));
        assertThat(k.info(FIELDS).keys()).allMatch(KeysetInfo.Key::enabled);

        k.disableKey(FIELDS, old, List.of(good));
        assertThat(k.info(FIELDS).keys()).filteredOn(key -> key.id() == old).singleElement()
                .satisfies(key -> assertThat(key.enabled()).isFalse());
    }

    @Test
    void retiringAKeyTheKeysetDoesNotHoldIsAnInvalidOperation() {
        Keyring k = TestKeyrings.fresh();
        int primary = k.info(FIELDS).primaryKeyId();
        k.rotate(FIELDS);
        RewriteReport good = FieldRewriter.reencrypting(k.fields()).run(new ListSource());
        int foreign = primary + 1;
        assertThatThrownBy(() -> k.disableKey(FIELDS, foreign, List.of(good)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
        assertThatThrownBy(() -> k.destroyKey(FIELDS, foreign, List.of(good)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
        int newPrimary = k.info(FIELDS).primaryKeyId();
        assertThatThrownBy(() -> k.destroyKey(FIELDS, newPrimary, List.of(good)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
        assertThatThrownBy(() -> k.destroyKey(FIELDS, primary, List.of(good)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION))
                .hasMessageContaining("disable");
        assertThat(k.info(FIELDS).keys()).hasSize(2).allMatch(KeysetInfo.Key::enabled);
    }

    @Test
    void destroyingOneKeyRemovesOnlyThatKey() throws Exception {
        Keyring k = TestKeyrings.fresh();
        int first = k.info(FIELDS).primaryKeyId();
        String underFirst = k.fields().encrypt("first", CTX);
        int second = k.rotate(FIELDS);
        String underSecond = k.fields().encrypt("second", CTX);
        int third = k.rotate(FIELDS);
        RewriteReport evidence = FieldRewriter.reencrypting(k.fields()).run(new ListSource());
        k.disableKey(FIELDS, second, List.of(evidence));
        k.destroyKey(FIELDS, second, List.of(evidence));
        assertThat(k.info(FIELDS).keys()).extracting(KeysetInfo.Key::id).containsExactlyInAnyOrder(first, third);
        assertThat(k.fields().decrypt(underFirst, CTX)).isEqualTo("first");
        assertThatThrownBy(() -> k.fields().decrypt(underSecond, CTX)).isInstanceOfSatisfying(DecryptionException.class,
                e -> assertThat(e.reason()).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY));
    }

    /** Two nodes changing a keyset at once: the loser gets CONCURRENT_MODIFICATION and then sees the winner's keyset. */
    @Test
    void aLostRaceIsReportedAndTheWinnersKeysetIsUsedAfterwards() throws Exception {
        InMemoryKeysetStore inner = new InMemoryKeysetStore();
        MasterKey mk = TestKeyrings.randomMasterKey();
        Keyring winner = Keyring.builder().masterKey(mk).store(inner).build();
        winner.provision(Keyring.DataInventory.EMPTY, List.of(FIELDS));
        int[] winnerPrimary = {0};
        KeysetStore racing = new KeysetStore() {
            @Override public Optional<StoredKeyset> find(String name) { return inner.find(name); }
            @Override public boolean insert(String name, byte[] keyset) { return inner.insert(name, keyset); }
            @Override public boolean markDestroyed(String name, long at) { return inner.markDestroyed(name, at); }
            @Override public List<String> names() { return inner.names(); }
            @Override public boolean update(String name, byte[] keyset, long expectedVersion) {
                winnerPrimary[0] = winner.rotate(KeysetName.parse(name)); // the other node gets there first
                return inner.update(name, keyset, expectedVersion);
            }
        };
        Keyring loser = Keyring.builder().masterKey(mk).store(racing).build();
        int before = loser.info(FIELDS).primaryKeyId();
        assertThatThrownBy(() -> loser.rotate(FIELDS)).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.CONCURRENT_MODIFICATION));
        assertThat(winnerPrimary[0]).isNotEqualTo(before);
        assertThat(loser.fields().keyIdOf(loser.fields().encrypt("x", CTX))).isEqualTo(winnerPrimary[0]);
        assertThat(loser.info(FIELDS).keys()).hasSize(2);
    }

    @Test
    void importingOverAnExistingKeysetIsRefused() {
        Keyring k = TestKeyrings.withFixedTestKeysets();
        assertThatThrownBy(() -> k.importKeyset(FIELDS, TestKeyrings.fixture("fields")))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_EXISTS));
        assertThat(k.info(FIELDS).primaryKeyId()).isEqualTo(0x22222222);
    }

    @Test
    void storedKeysetsListsOnlyNamesThisVersionUnderstands() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        k.createWorkspaceKeys("ws_1");
        store.insert("legacy-keys", new byte[] {1});
        store.insert("workspace/ws_1/thumbnails", new byte[] {1});
        store.insert("workspace/ws 1/data", new byte[] {1});
        store.insert("workspace/ws_1/data/extra", new byte[] {1});
        assertThat(k.storedKeysets()).extracting(KeysetName::id).containsExactlyInAnyOrder("fields", "searchable-fields",
                "blind-index", "files", "backups", "connection-credentials", "link-signing", "audit", "password-pepper",
                "workspace/ws_1/data", "workspace/ws_1/files");
    }
}
