package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Secret} owns its bytes, compares in constant time and is unusable once destroyed; null is never a secret. */
class SecretTest {

    @Test
    void aSecretKeepsItsOwnCopyOfTheBytes() {
        byte[] input = {1, 2, 3};
        Secret s = Secret.of(input);
        Arrays.fill(input, (byte) 0); // the caller wipes its array
        assertThat(s.bytes()).containsExactly(1, 2, 3);
        byte[] out = s.bytes();
        out[0] = 9; // and may wipe what it was given
        assertThat(s.bytes()).containsExactly(1, 2, 3);
        assertThat(s.length()).isEqualTo(3);
    }

    @Test
    void textAndCharsAreEncodedAsUtf8() {
        assertThat(Secret.ofUtf8("pässwörd").bytes()).isEqualTo("pässwörd".getBytes(StandardCharsets.UTF_8));
        assertThat(Secret.ofUtf8("pässwörd").utf8()).isEqualTo("pässwörd");
        assertThat(Secret.ofUtf8("pässwörd").length()).isEqualTo(10);
        char[] chars = "€uro".toCharArray();
        Secret s = Secret.ofChars(chars);
        Arrays.fill(chars, '\0');
        assertThat(s.utf8()).isEqualTo("€uro");
        assertThat(s.matches(Secret.ofUtf8("€uro"))).isTrue();
        assertThat(s.matches("€uro".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(s.matches("€urO".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void nullIsNeverASecretNorEqualToOne() {
        assertThatThrownBy(() -> Secret.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.ofUtf8(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.ofChars(null)).isInstanceOf(IllegalArgumentException.class);
        Secret s = Secret.ofUtf8("");
        assertThat(s.matches((Secret) null)).isFalse();
        assertThat(s.matches((byte[]) null)).isFalse();
        assertThat(s.matches(new byte[0])).isTrue();
        assertThat(s).isNotEqualTo(Secret.ofUtf8("")); // identity equality: use matches
    }

    @Test
    void everyUseOfADestroyedSecretFailsAndCloseDestroys() {
        Secret s = Secret.ofUtf8("hunter2");
        Secret other = Secret.ofUtf8("hunter2");
        assertThat(s.isDestroyed()).isFalse();
        s.close();
        assertThat(s.isDestroyed()).isTrue();
        assertThatThrownBy(s::utf8).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(s::length).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.matches(other)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> s.matches(new byte[7])).isInstanceOf(IllegalStateException.class);
        // the other secret is untouched; a destroyed one does not match it by being all zeros
        assertThat(other.matches("hunter2".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(other.matches(new byte[7])).isFalse();
    }

    @Test
    void constantTimeByteComparisonTreatsNullAsEqualOnlyToNull() {
        assertThat(ConstantTime.equals((byte[]) null, null)).isTrue();
        assertThat(ConstantTime.equals(null, new byte[0])).isFalse();
        assertThat(ConstantTime.equals(new byte[0], null)).isFalse();
        assertThat(ConstantTime.equals(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(ConstantTime.equals(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
        assertThat(ConstantTime.equalsHidingLength(null, null)).isTrue();
        assertThat(ConstantTime.equalsHidingLength(null, new byte[0])).isFalse();
        assertThat(ConstantTime.equalsHidingLength(new byte[0], null)).isFalse();
        assertThat(ConstantTime.equals("a", null)).isFalse();
        assertThat(ConstantTime.equals(null, "a")).isFalse();
        assertThat(ConstantTime.equals(new StringBuilder("tök"), "tök")).isTrue();
    }

    /** Rows handed to the rewrite walks and stored keysets name where they are, never the value or the key bytes. */
    @Test
    void rowsAndStoredKeysetsRedactTheirValuesInToString() {
        String row = new IndexedRow("row-7", "ann@example.com", "bi1.x").toString();
        assertThat(row).contains("row-7").contains("redacted").doesNotContain("ann@example.com");
        String field = new StoredField("row-7", FieldContext.of("w", "t", "c", "r"), "secret-plaintext").toString();
        assertThat(field).contains("row-7").doesNotContain("secret-plaintext");
        String keyset = new KeysetStore.StoredKeyset("fields", "KEYBYTES".getBytes(StandardCharsets.US_ASCII), 3, 0).toString();
        assertThat(keyset).isEqualTo("StoredKeyset[fields, v3]");
        assertThat(new KeysetStore.StoredKeyset("fields", null, 4, 9).toString()).isEqualTo("StoredKeyset[fields, v4, destroyed]");
    }
}
