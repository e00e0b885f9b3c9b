package dev.bulwark.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/** Keyrings for tests. */
final class TestKeyrings {
    private TestKeyrings() {}

    static MasterKey randomMasterKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw), "test master key");
    }

    /** A fresh keyring with every shared keyset provisioned. */
    static Keyring fresh() {
        return fresh(new InMemoryKeysetStore());
    }

    static Keyring fresh(KeysetStore store) {
        Keyring k = Keyring.builder().masterKey(randomMasterKey()).store(store).build();
        k.provisionShared(Keyring.DataInventory.EMPTY);
        return k;
    }

    /** A keyring holding the checked-in TEST-ONLY keysets (fields, searchable-fields, blind-index, files). */
    static Keyring withFixedTestKeysets() {
        Keyring k = Keyring.builder().masterKey(randomMasterKey()).store(new InMemoryKeysetStore()).build();
        for (KeyPurpose p : new KeyPurpose[] {KeyPurpose.FIELDS, KeyPurpose.SEARCHABLE_FIELDS, KeyPurpose.BLIND_INDEX, KeyPurpose.FILES}) {
            k.importKeyset(KeysetName.of(p), fixture(p.label()));
        }
        return k;
    }

    static KeysetHandle fixture(String name) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(fixtureJson(name), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String fixtureJson(String name) {
        try (InputStream in = TestKeyrings.class.getResourceAsStream("/test-only-keysets/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
