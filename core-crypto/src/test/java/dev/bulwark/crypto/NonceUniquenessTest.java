package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ASVS 6.2.6: nonces are never reused with one key. Field ciphertext is Tink's AES-256-GCM output after the 5-byte
 * Tink prefix (version byte and key id): a fresh random 12-byte IV, then the ciphertext and tag.
 */
class NonceUniquenessTest {
    static final int PREFIX = 5;
    static final int IV = 12;

    @Test
    void encryptingTheSameValueUnderTheSameKeyAndContextNeverRepeatsAnIv() throws Exception {
        Keyring keyring = TestKeyrings.fresh();
        FieldContext ctx = new FieldContext("ws_1", "customers", "email", "cus_1");
        Set<String> ivs = new HashSet<>();
        Set<String> stored = new HashSet<>();
        byte[] keyPrefix = null;
        for (int i = 0; i < 20_000; i++) {
            String s = keyring.fields().encrypt("same@example.org", ctx);
            assertThat(stored.add(s)).isTrue();
            byte[] raw = Base64.getUrlDecoder().decode(s.substring(FieldCipher.PREFIX.length()));
            if (keyPrefix == null) keyPrefix = Arrays.copyOf(raw, PREFIX);
            assertThat(Arrays.copyOf(raw, PREFIX)).as("one key throughout").isEqualTo(keyPrefix);
            assertThat(ivs.add(Base64.getEncoder().encodeToString(Arrays.copyOfRange(raw, PREFIX, PREFIX + IV)))).as("IV repeated at " + i).isTrue();
        }
        assertThat(keyring.fields().decrypt(stored.iterator().next(), ctx)).isEqualTo("same@example.org");
    }
}
