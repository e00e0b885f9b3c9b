package dev.bulwark.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupAndKmsTest {
    static final KeysetName FIELDS = KeysetName.of(KeyPurpose.FIELDS);

    @Test
    void missingKeysetWithExistingDataFailsTheHealthCheckAndIsNeverRecreated() {
        InMemoryKeysetStore emptyStore = new InMemoryKeysetStore(); // e.g. keyset table lost, data still there
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(emptyStore).build();
        Keyring.DataInventory inventory = name -> name.equals(FIELDS) ? 1234 : 0;

        KeyringHealthCheck.Report report = KeyringHealthCheck.check(k, inventory, List.of(FIELDS));
        assertThat(report.healthy()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(KeyringException.Reason.MISSING_KEYSET);
            assertThat(p.message()).contains("1234").contains("fields");
        });
        assertThatThrownBy(report::requireHealthy).hasMessageContaining("refusing to start");
        assertThatThrownBy(() -> k.provision(inventory, List.of(FIELDS)))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MISSING_KEYSET));
        assertThat(emptyStore.names()).isEmpty();
        assertThatThrownBy(() -> k.fields().encrypt("x", FieldContext.of("w", "t", "c", "r")))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MISSING_KEYSET));
    }

    @Test
    void wrongMasterKeyFailsTheHealthCheck() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        TestKeyrings.fresh(store);
        Keyring withWrongKey = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(store).build();
        KeyringHealthCheck.Report report = KeyringHealthCheck.check(withWrongKey, Keyring.DataInventory.EMPTY, List.of(FIELDS));
        assertThat(report.healthy()).isFalse();
        assertThat(report.problems()).allSatisfy(p -> assertThat(p.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY));
        assertThat(report.problems()).hasSize(store.names().size());
    }

    @Test
    void healthyKeyringPassesAndCountsDestroyedWorkspaces() {
        Keyring k = TestKeyrings.fresh();
        k.createWorkspaceKeys("w1");
        k.destroyWorkspaceKeys("w1");
        KeyringHealthCheck.Report r = KeyringHealthCheck.check(k, name -> 10, List.of(FIELDS)).requireHealthy();
        assertThat(r.destroyedKeysets()).isEqualTo(2);
    }

    @Test
    void aKeysetMovedToAnotherNameDoesNotLoad() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        k.createWorkspaceKeys("victim");
        k.createWorkspaceKeys("attacker");
        // an attacker with write access to the store copies their keyset over the victim's name
        byte[] attackerKeyset = store.find("workspace/attacker/data").orElseThrow().encryptedKeyset();
        var victim = store.find("workspace/victim/data").orElseThrow();
        store.update("workspace/victim/data", attackerKeyset, victim.version());
        k.clearCache();
        assertThatThrownBy(() -> k.workspaceFields("victim").encrypt("x", FieldContext.of("victim", "t", "c", "r")))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY));
    }

    /** A KMS stand-in that counts calls: each keyset unwrap is a decrypt call to the "remote" key. */
    static final class CountingKms implements KmsClient {
        final Aead inner;
        final AtomicInteger decrypts = new AtomicInteger();

        CountingKms(Aead inner) {
            this.inner = inner;
        }

        @Override
        public boolean doesSupport(String keyUri) {
            return keyUri.startsWith("test-kms://");
        }

        @Override
        public KmsClient withCredentials(String credentialPath) {
            return this;
        }

        @Override
        public KmsClient withDefaultCredentials() {
            return this;
        }

        @Override
        public Aead getAead(String keyUri) {
            return new Aead() {
                @Override
                public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
                    return inner.encrypt(plaintext, associatedData);
                }

                @Override
                public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
                    decrypts.incrementAndGet();
                    return inner.decrypt(ciphertext, associatedData);
                }
            };
        }
    }

    @Test
    void kmsIsCalledOncePerKeysetPerCachePeriodNotPerOperation() throws Exception {
        CountingKms kms = new CountingKms(TestKeyrings.randomMasterKey().aead());
        AtomicLong now = new AtomicLong();
        Keyring k = Keyring.builder().masterKey(MasterKey.fromKms(kms, "test-kms://projects/x/keys/y"))
                .store(new InMemoryKeysetStore()).cacheMaxAge(Duration.ofMinutes(10)).nanoClock(now::get).build();
        assertThat(k.masterKey().isRemote()).isTrue();
        k.provision(Keyring.DataInventory.EMPTY, List.of(FIELDS));
        k.clearCache();
        kms.decrypts.set(0);

        FieldContext ctx = FieldContext.of("w", "t", "c", "r");
        for (int i = 0; i < 1000; i++) k.fields().decrypt(k.fields().encrypt("v" + i, ctx), ctx);
        assertThat(kms.decrypts.get()).isEqualTo(1);

        now.addAndGet(Duration.ofMinutes(11).toNanos());
        k.fields().encrypt("after expiry", ctx);
        assertThat(kms.decrypts.get()).isEqualTo(2);
    }
}
