package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the start-up check counts and reports. */
class KeyringHealthCheckTest {
    static final KeysetName FIELDS = KeysetName.of(KeyPurpose.FIELDS);
    static final KeysetName ACME_DATA = KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "acme");

    @Test
    void healthyReportCountsEveryStoredKeysetAndTheDestroyedOnes() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        k.createWorkspaceKeys("acme");
        k.createWorkspaceKeys("globex");
        k.destroyWorkspaceKeys("acme");
        store.insert("not-a-bulwark-keyset", new byte[] {1});
        KeyringHealthCheck.Report r = KeyringHealthCheck.check(k, name -> 3, List.of(FIELDS, ACME_DATA));
        assertThat(r.healthy()).isTrue();
        assertThat(r.problems()).isEmpty();
        assertThat(r.keysetsChecked()).isEqualTo(9 + 4);
        assertThat(r.destroyedKeysets()).isEqualTo(2);
        assertThat(r.requireHealthy()).isSameAs(r);
    }

    @Test
    void aMissingKeysetWithoutDataIsNotAProblem() {
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(new InMemoryKeysetStore()).build();
        KeyringHealthCheck.Report r = KeyringHealthCheck.check(k, Keyring.DataInventory.EMPTY, List.of(FIELDS, ACME_DATA));
        assertThat(r.healthy()).isTrue();
        assertThat(r.keysetsChecked()).isZero();
    }

    @Test
    void everyProblemIsListedAndTheFirstReasonIsThrown() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(store).build()
                .provision(Keyring.DataInventory.EMPTY, List.of(FIELDS));
        Keyring wrongKey = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(store).build();
        KeyringHealthCheck.Report r = KeyringHealthCheck.check(wrongKey, name -> name.equals(ACME_DATA) ? 42 : 0,
                List.of(FIELDS, ACME_DATA));
        assertThat(r.healthy()).isFalse();
        assertThat(r.keysetsChecked()).isEqualTo(1);
        assertThat(r.problems()).extracting(KeyringHealthCheck.Problem::keysetId, KeyringHealthCheck.Problem::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("fields", KeyringException.Reason.WRONG_MASTER_KEY),
                org.assertj.core.groups.Tuple.tuple("workspace/acme/data", KeyringException.Reason.MISSING_KEYSET));
        assertThatThrownBy(r::requireHealthy).isInstanceOfSatisfying(KeyringException.class, e -> {
            assertThat(e.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY);
            assertThat(e.getMessage()).contains("refusing to start").contains("fields").contains("42 encrypted values");
        });
    }

    @Test
    void theCheckReReadsKeysetsInsteadOfTrustingTheCache() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        k.fields().encrypt("warm the cache", FieldContext.of("w", "t", "c", "r"));
        var stored = store.find("fields").orElseThrow();
        byte[] altered = stored.encryptedKeyset().clone();
        altered[altered.length - 1] ^= 1;
        store.update("fields", altered, stored.version());
        KeyringHealthCheck.Report r = KeyringHealthCheck.check(k, Keyring.DataInventory.EMPTY, List.of());
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.keysetId()).isEqualTo("fields");
            assertThat(p.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY);
        });
    }
}
