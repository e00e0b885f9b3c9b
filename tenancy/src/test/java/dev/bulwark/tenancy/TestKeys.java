package dev.bulwark.tenancy;

import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeysetStore;
import dev.bulwark.crypto.MasterKey;

import java.security.SecureRandom;
import java.util.Base64;

/** A keyring with a fresh random master key for one test. */
final class TestKeys {
    private TestKeys() {}

    static Keyring keyring(KeysetStore store) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Keyring.builder().masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(k), "test key")).store(store).build();
    }

    static Tenancy tenancy(TenancyStore store, KeysetStore keysets) {
        return Tenancy.builder().store(store).keyring(keyring(keysets)).build();
    }
}
