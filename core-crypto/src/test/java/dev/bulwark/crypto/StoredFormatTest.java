package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The stored text form is parsed strictly: one canonical text per byte string, typed MALFORMED for anything else, and
 * the key id read exactly (unsigned, big-endian) so rotation finds every old value.
 */
class StoredFormatTest {
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final Keyring KEYRING = TestKeyrings.fresh();
    static final FieldContext CTX = FieldContext.of("ws1", "customers", "email", "row-1");
    /** A key id no keyset here holds, with the high bit set. */
    static final int FOREIGN_KEY_ID = 0xF1E2D3C4;

    /** Tink-shaped bytes: version 0x01, the key id, then filler. */
    static byte[] tinkShaped(int keyId, int length) {
        byte[] raw = new byte[length];
        Arrays.fill(raw, (byte) 0x6b);
        raw[0] = 0x01;
        raw[1] = (byte) (keyId >>> 24);
        raw[2] = (byte) (keyId >>> 16);
        raw[3] = (byte) (keyId >>> 8);
        raw[4] = (byte) keyId;
        return raw;
    }

    static String text(byte[] raw) {
        return FieldCipher.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static DecryptionException.Reason reasonFor(String stored) {
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> KEYRING.fields().decryptBytes(stored, CTX));
        assertThat(e).as("decrypting %s", stored).isNotNull();
        return e.reason();
    }

    /**
     * The last base64url character carries 6, 2 or 4 bits that are not part of the bytes (for 0, 2 or 1 byte left
     * over). Exactly the characters whose unused bits are zero are accepted; every other one would be a second text for
     * the same bytes.
     */
    @Test
    void onlyTheCanonicalLastCharacterIsAccepted() {
        for (int length : new int[] {33, 34, 35}) {
            String canonical = text(tinkShaped(FOREIGN_KEY_ID, length));
            int unusedBits = ((canonical.length() - FieldCipher.PREFIX.length()) * 6) % 8;
            for (int v = 0; v < 64; v++) {
                String candidate = canonical.substring(0, canonical.length() - 1) + ALPHABET.charAt(v);
                boolean canonicalChar = (v & ((1 << unusedBits) - 1)) == 0;
                assertThat(reasonFor(candidate)).as("length %d, last character %s", length, ALPHABET.charAt(v))
                        .isEqualTo(canonicalChar ? DecryptionException.Reason.UNKNOWN_KEY : DecryptionException.Reason.MALFORMED);
            }
        }
    }

    @Test
    void paddingAndCharactersOutsideBase64urlAreMalformed() {
        String body = text(tinkShaped(FOREIGN_KEY_ID, 35)); // 47 characters: one '=' would pad it
        String twoLeft = text(tinkShaped(FOREIGN_KEY_ID, 34)); // 46 characters: "==" would pad it
        assertThat(reasonFor(body)).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
        assertThat(reasonFor(body + "=")).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(reasonFor(twoLeft + "==")).isEqualTo(DecryptionException.Reason.MALFORMED);
        String standard = FieldCipher.PREFIX + Base64.getEncoder().withoutPadding().encodeToString(tinkShaped(FOREIGN_KEY_ID, 36));
        String withSlash = standard.substring(0, 20) + "/" + standard.substring(21);
        String withPlus = standard.substring(0, 20) + "+" + standard.substring(21);
        for (String s : new String[] {withSlash, withPlus, body.substring(0, 20) + "." + body.substring(21),
                body.substring(0, 20) + " " + body.substring(21), body.substring(0, body.length() - 1) + "é"}) {
            assertThat(reasonFor(s)).as(s).isEqualTo(DecryptionException.Reason.MALFORMED);
        }
    }

    @Test
    void theShortestWellFormedValueReachesTheKeyCheckAndShorterOnesAreMalformed() {
        // 6 bytes = 8 characters: the first length that holds Tink's 5-byte prefix and anything at all
        assertThat(reasonFor(text(tinkShaped(FOREIGN_KEY_ID, 6)))).isEqualTo(DecryptionException.Reason.UNKNOWN_KEY);
        int primary = KEYRING.fields().primaryKeyId();
        assertThat(reasonFor(text(tinkShaped(primary, 6)))).isEqualTo(DecryptionException.Reason.AUTHENTICATION_FAILED);
        assertThat(reasonFor(text(tinkShaped(primary, 5)))).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(reasonFor(text(Arrays.copyOf(tinkShaped(primary, 5), 4)))).isEqualTo(DecryptionException.Reason.MALFORMED);
        // a length no base64 text can have (4k+1 characters)
        assertThat(reasonFor(text(tinkShaped(primary, 36)) + "A")).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(reasonFor(FieldCipher.PREFIX)).isEqualTo(DecryptionException.Reason.MALFORMED);
    }

    @Test
    void unknownVersionByteIsMalformed() {
        int primary = KEYRING.fields().primaryKeyId();
        for (int version : new int[] {0x00, 0x02, 0x81}) {
            byte[] raw = tinkShaped(primary, 40);
            raw[0] = (byte) version;
            assertThat(reasonFor(text(raw))).as("version %d", version).isEqualTo(DecryptionException.Reason.MALFORMED);
        }
    }

    @Test
    void wrongPrefixOrNullIsMalformed() {
        String stored = KEYRING.fields().encrypt("x", CTX);
        assertThat(reasonFor(SearchableFieldCipher.PREFIX + stored.substring(4))).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(reasonFor("BW1." + stored.substring(4))).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(reasonFor(null)).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(FieldCipher.isCiphertext(null)).isFalse();
        assertThat(FieldCipher.isCiphertext("bw1")).isFalse();
        assertThat(FieldCipher.isCiphertext(stored)).isTrue();
    }

    @Test
    void keyIdIsReadAsUnsignedBigEndian() throws Exception {
        String stored = text(tinkShaped(FOREIGN_KEY_ID, 40));
        assertThat(KEYRING.fields().keyIdOf(stored)).isEqualTo(FOREIGN_KEY_ID);
        assertThat(KEYRING.fields().keyIdOf(text(tinkShaped(0x00000080, 40)))).isEqualTo(0x80);
        assertThat(KEYRING.fields().keyIdOf(text(tinkShaped(0x80000001, 40)))).isEqualTo(0x80000001);
        PlaintextMigration.Census census = new PlaintextMigration(KEYRING.fields()).census().add(stored).add(stored);
        assertThat(census.encryptedByKeyId()).containsExactly(java.util.Map.entry("4058174404", 2L));
        assertThat(census.malformed()).isZero();
    }

    @Test
    void decryptOfBytesThatAreNotUtf8IsMalformedButDecryptBytesReturnsThem() throws Exception {
        byte[] notUtf8 = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF};
        String stored = KEYRING.fields().encrypt(notUtf8, CTX);
        assertThat(KEYRING.fields().decryptBytes(stored, CTX)).isEqualTo(notUtf8);
        DecryptionException e = catchThrowableOfType(DecryptionException.class, () -> KEYRING.fields().decrypt(stored, CTX));
        assertThat(e.reason()).isEqualTo(DecryptionException.Reason.MALFORMED);
        assertThat(e.getMessage()).contains("decryptBytes");
    }

    @Test
    void nullPlaintextIsRefusedRatherThanStoredAsEmpty() {
        assertThatThrownBy(() -> KEYRING.fields().encrypt((String) null, CTX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQL NULL");
        assertThatThrownBy(() -> KEYRING.fields().encrypt((byte[]) null, CTX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KEYRING.searchableFields().encrypt(null, CTX.columnContext())).isInstanceOf(IllegalArgumentException.class);
    }

    /** The associated data is an unambiguous encoding: a 4-byte big-endian length before every part. */
    @Test
    void contextEncodingIsLengthPrefixedBigEndian() {
        assertThat(FieldContext.encode("ab", "c")).isNotEqualTo(FieldContext.encode("a", "bc"));
        assertThat(FieldContext.encode("ab", "é")).containsExactly(0, 0, 0, 2, 'a', 'b', 0, 0, 0, 2, 0xC3, 0xA9);
        assertThat(FieldContext.encode("")).containsExactly(0, 0, 0, 0);
        // lengths that need the second, third and fourth byte of the prefix
        for (int length : new int[] {0x0102, 0x010203, 0x01020304}) {
            byte[] encoded = FieldContext.encode("x".repeat(length), "y");
            assertThat(encoded).hasSize(4 + length + 4 + 1);
            assertThat(Arrays.copyOf(encoded, 4)).as("length 0x%x", length)
                    .containsExactly(length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff);
            assertThat(Arrays.copyOfRange(encoded, 4 + length, encoded.length)).containsExactly(0, 0, 0, 1, 'y');
        }
    }

    @Test
    void contextPartsMustBePresentAndNonEmpty() {
        assertThatThrownBy(() -> FieldContext.of("", "t", "c", "r")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspaceId");
        assertThatThrownBy(() -> FieldContext.of("w", "t", "c", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rowId");
        assertThatThrownBy(() -> FieldContext.of("w", null, "c", "r")).isInstanceOf(NullPointerException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> FieldContext.of("w", "t", "", "r")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column");
        assertThatThrownBy(() -> ColumnContext.of("", "t", "c")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspaceId");
        assertThatThrownBy(() -> ColumnContext.of("w", "", "c")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table");
        assertThatThrownBy(() -> ColumnContext.of("w", "t", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column");
        assertThatThrownBy(() -> StreamContext.of("", "o")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspaceId");
        assertThatThrownBy(() -> StreamContext.of("w", "")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("objectId");
        assertThat(CTX.columnContext()).isEqualTo(ColumnContext.of("ws1", "customers", "email"));
    }
}
