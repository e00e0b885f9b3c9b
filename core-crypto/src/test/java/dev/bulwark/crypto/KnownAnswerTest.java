package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixed ciphertexts under the checked-in TEST-ONLY keysets (src/test/resources/test-only-keysets): if the stored format
 * ever changes, these stop decrypting (or the deterministic outputs differ) and this test fails. The JCE checks decode the
 * same values with nothing from Bulwark or Tink, so they pin the format itself: prefix, base64url, Tink prefix, AAD.
 */
class KnownAnswerTest {
    static final FieldContext EMAIL = FieldContext.of("ws_kat", "customers", "email", "row-1");
    static final String EMAIL_CT = "bw1.ASIiIiL5SfoamsmvYElRRUw29eK6Pk66dXl5ICo6hKSE0t5rhPWtg2wfNvqYIhVL";
    static final FieldContext NOTES = FieldContext.of("ws_kat", "customers", "notes", "row-2");
    static final String OLD_KEY_CT = "bw1.ARERERGpF5Y5hrgHR5P9zCL9B0v6yaMr9qhGgjyrSWuSpG3aI9f0fm9R9V6S6g";
    static final String SIV_CT = "bd1.ATMzMzOS-va5UEL9kHrqg-9VFO0p0NtmS8WP2mXRfNfeq3Df";
    static final String BLIND = "bi1.44444444.eBenIpWKk4WR0muQbxdmSg";
    static final String STREAM_B64 = "QldTMSiJle2wSPiV1PS0QIohoMM8pyqoKE0cuZhubbeG7HVH5vpKr0IoLL8kmuBL8U4LNrx51n8pA7usoJpBIkzm/w8w1A==";

    final Keyring keyring = TestKeyrings.withFixedTestKeysets();

    @Test
    void fixedFieldCiphertextDecrypts() throws Exception {
        assertThat(keyring.fields().decrypt(EMAIL_CT, EMAIL)).isEqualTo("ann@example.com");
        assertThat(keyring.fields().keyIdOf(EMAIL_CT)).isEqualTo(0x22222222);
        assertThat(keyring.fields().needsReencryption(EMAIL_CT)).isFalse();
    }

    @Test
    void fixedCiphertextUnderOldKeyDecryptsAndReportsNonPrimary() throws Exception {
        assertThat(keyring.fields().decrypt(OLD_KEY_CT, NOTES)).isEqualTo("old key value");
        assertThat(keyring.fields().needsReencryption(OLD_KEY_CT)).isTrue();
    }

    @Test
    void fieldFormatIsPrefixPlusTinkOutputWithLengthPrefixedContextAsAad() throws Exception {
        byte[] key = lastKeyBytes("fields", 0x22222222);
        byte[] raw = Base64.getUrlDecoder().decode(EMAIL_CT.substring(4));
        assertThat(raw[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(raw, 1, 5)).containsExactly(0x22, 0x22, 0x22, 0x22);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 5, 12));
        gcm.updateAAD(lengthPrefixed("bulwark.field.v1", "ws_kat", "customers", "email", "row-1"));
        byte[] plain = gcm.doFinal(raw, 17, raw.length - 17);
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("ann@example.com");
    }

    /** The figure quoted in BENCHMARKS.md: 64 bytes of plaintext become 134 characters of stored text. */
    @Test
    void storedFormGrowsBy70CharactersFor64Bytes() {
        String stored = keyring.fields().encrypt(new byte[64], EMAIL);
        assertThat(stored).hasSize(4 + (int) Math.ceil((5 + 12 + 64 + 16) * 8 / 6.0)).hasSize(134);
    }

    @Test
    void deterministicEncryptionIsStable() throws Exception {
        assertThat(keyring.searchableFields().encrypt("ann@example.com", EMAIL.columnContext())).isEqualTo(SIV_CT);
        assertThat(keyring.searchableFields().decrypt(SIV_CT, EMAIL.columnContext())).isEqualTo("ann@example.com");
    }

    @Test
    void blindIndexMatchesIndependentHmacComputation() throws Exception {
        BlindIndex idx = keyring.blindIndexes().column(EMAIL.columnContext(), Normalizer.EMAIL);
        assertThat(idx.compute(" Ann@Example.com")).isEqualTo(BLIND);

        byte[] key = lastKeyBytes("blind-index", 0x44444444);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] colKey = mac.doFinal(lengthPrefixed("bulwark.blind-index.v1", "ws_kat", "customers", "email"));
        mac.init(new SecretKeySpec(colKey, "HmacSHA256"));
        byte[] full = mac.doFinal("ann@example.com".getBytes(StandardCharsets.UTF_8));
        String expected = "bi1.44444444." + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
        assertThat(expected).isEqualTo(BLIND);
    }

    @Test
    void fixedStreamDecrypts() throws Exception {
        try (InputStream in = keyring.files().decrypting(new ByteArrayInputStream(Base64.getDecoder().decode(STREAM_B64)),
                StreamContext.of("ws_kat", "file-1"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello file");
        }
    }

    static byte[] lengthPrefixed(String... parts) {
        return FieldContext.encode(parts);
    }

    /** The raw key bytes of key {@code keyId} in a fixture: the last 32 bytes of its serialized key proto (field 3). */
    static byte[] lastKeyBytes(String fixture, int keyId) {
        String json = TestKeyrings.fixtureJson(fixture);
        Matcher m = Pattern.compile("\"value\":\"([^\"]+)\"[^}]*}[^}]*?\"keyId\":" + Integer.toUnsignedString(keyId)).matcher(json);
        if (!m.find()) throw new IllegalStateException("key " + keyId + " not in fixture " + fixture);
        byte[] proto = Base64.getDecoder().decode(m.group(1));
        return Arrays.copyOfRange(proto, proto.length - 32, proto.length);
    }
}
