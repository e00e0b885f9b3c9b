package dev.bulwark.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.mac.HmacKey;
import com.google.crypto.tink.mac.HmacParameters;
import com.google.crypto.tink.util.SecretBytes;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signing keys (link signing, audit chain): tags are plain HMAC-SHA256, so they match the RFC 4231 vectors and any
 * JWS HS256 implementation; only enabled keys of the right keyset sign or verify.
 */
class MacKeysTest {
    static final KeysetName LINKS = KeysetName.of(KeyPurpose.LINK_SIGNING);
    /** RFC 4231, test case 1. */
    static final byte[] RFC4231_KEY = filled(20, 0x0b);
    static final byte[] RFC4231_DATA = "Hi There".getBytes(StandardCharsets.US_ASCII);
    static final byte[] RFC4231_TAG = HexFormat.of().parseHex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /** High bit set: key ids are unsigned in every text form. */
    static final int RFC_KEY_ID = 0xCAFEF00D;
    static final int DISABLED_KEY_ID = 0x0D15AB1E;
    static final byte[] DISABLED_KEY = filled(32, 0x5a);

    /** A keyring whose link-signing keyset is the RFC 4231 key (primary) plus a disabled key. */
    static Keyring keyringWithRfcKey() throws Exception {
        Keyring k = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(new InMemoryKeysetStore()).build();
        KeysetHandle h = KeysetHandle.newBuilder()
                .addEntry(KeysetHandle.importKey(hmacKey(RFC4231_KEY)).withFixedId(RFC_KEY_ID).makePrimary())
                .addEntry(KeysetHandle.importKey(hmacKey(DISABLED_KEY)).withFixedId(DISABLED_KEY_ID).setStatus(KeyStatus.DISABLED))
                .build();
        k.importKeyset(LINKS, h);
        return k;
    }

    @Test
    void tagUnderEachActiveKeyIsOneConsistentReadPrimaryFirstAndSkipsDisabledKeys() throws Exception {
        Keyring k = keyringWithRfcKey();
        MacKeys keys = k.macKeys(KeyPurpose.LINK_SIGNING);
        var one = keys.tagUnderEachActiveKey(RFC4231_DATA);
        assertThat(one.keySet()).containsExactly(RFC_KEY_ID);
        assertThat(one.get(RFC_KEY_ID)).isEqualTo(RFC4231_TAG);
        int added = k.rotate(LINKS);
        var two = keys.tagUnderEachActiveKey(RFC4231_DATA);
        assertThat(two.keySet()).containsExactly(added, RFC_KEY_ID);
        assertThat(two.get(added)).isEqualTo(keys.tag(added, RFC4231_DATA)).isNotEqualTo(RFC4231_TAG);
        assertThat(two.get(RFC_KEY_ID)).isEqualTo(RFC4231_TAG);
    }

    @Test
    void tagIsPlainHmacSha256MatchingRfc4231() throws Exception {
        MacKeys keys = keyringWithRfcKey().macKeys(KeyPurpose.LINK_SIGNING);
        assertThat(keys.primaryKeyId()).isEqualTo(RFC_KEY_ID);
        assertThat(keys.tag(RFC_KEY_ID, RFC4231_DATA)).isEqualTo(RFC4231_TAG);
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, RFC4231_TAG)).isTrue();
    }

    @Test
    void alteredTagOrDataOrTruncatedTagIsRejected() throws Exception {
        MacKeys keys = keyringWithRfcKey().macKeys(KeyPurpose.LINK_SIGNING);
        byte[] flipped = RFC4231_TAG.clone();
        flipped[31] ^= 1;
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, flipped)).isFalse();
        assertThat(keys.verify(RFC_KEY_ID, "Hi there".getBytes(StandardCharsets.US_ASCII), RFC4231_TAG)).isFalse();
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, Arrays.copyOf(RFC4231_TAG, 16))).isFalse();
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, new byte[0])).isFalse();
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, null)).isFalse();
        assertThat(keys.verify(RFC_KEY_ID, null, RFC4231_TAG)).isFalse();
    }

    @Test
    void tagUnderAnotherKeyIdIsRejected() throws Exception {
        MacKeys keys = keyringWithRfcKey().macKeys(KeyPurpose.LINK_SIGNING);
        assertThat(keys.verify(RFC_KEY_ID + 1, RFC4231_DATA, RFC4231_TAG)).isFalse();
        assertThatThrownBy(() -> keys.tag(RFC_KEY_ID + 1, RFC4231_DATA))
                .isInstanceOfSatisfying(KeyringException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION);
                    assertThat(e.getMessage()).contains(Integer.toUnsignedString(RFC_KEY_ID + 1));
                });
    }

    @Test
    void disabledKeyNeitherSignsNorVerifiesEvenACorrectTag() throws Exception {
        MacKeys keys = keyringWithRfcKey().macKeys(KeyPurpose.LINK_SIGNING);
        Mac jce = Mac.getInstance("HmacSHA256");
        jce.init(new SecretKeySpec(DISABLED_KEY, "HmacSHA256"));
        byte[] correctTagUnderDisabledKey = jce.doFinal(RFC4231_DATA);

        assertThat(keys.activeKeyIds()).containsExactly(RFC_KEY_ID);
        assertThat(keys.verify(DISABLED_KEY_ID, RFC4231_DATA, correctTagUnderDisabledKey)).isFalse();
        assertThatThrownBy(() -> keys.tag(DISABLED_KEY_ID, RFC4231_DATA))
                .isInstanceOfSatisfying(KeyringException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INVALID_KEY_OPERATION));
    }

    @Test
    void afterRotationNewTagsUseTheNewPrimaryAndOldTagsStillVerify() throws Exception {
        Keyring k = keyringWithRfcKey();
        MacKeys keys = k.macKeys(KeyPurpose.LINK_SIGNING);
        int fresh = k.rotate(LINKS);

        assertThat(keys.primaryKeyId()).isEqualTo(fresh);
        assertThat(keys.activeKeyIds()).containsExactly(fresh, RFC_KEY_ID);
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, RFC4231_TAG)).isTrue();
        byte[] newTag = keys.tag(fresh, RFC4231_DATA);
        assertThat(newTag).hasSize(32).isNotEqualTo(RFC4231_TAG);
        assertThat(keys.verify(fresh, RFC4231_DATA, newTag)).isTrue();
        // a tag is bound to its key id: presenting it under the other key fails
        assertThat(keys.verify(RFC_KEY_ID, RFC4231_DATA, newTag)).isFalse();
        assertThat(keys.verify(fresh, RFC4231_DATA, RFC4231_TAG)).isFalse();
    }

    @Test
    void linkSigningAuditAndPasswordPepperHaveSeparateKeysAndNoOtherPurposeGivesMacKeys() {
        Keyring k = TestKeyrings.fresh();
        MacKeys links = k.macKeys(KeyPurpose.LINK_SIGNING);
        MacKeys audit = k.macKeys(KeyPurpose.AUDIT);
        MacKeys pepper = k.macKeys(KeyPurpose.PASSWORD_PEPPER);
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        byte[] linkTag = links.tag(links.primaryKeyId(), data);
        byte[] pepperTag = pepper.tag(pepper.primaryKeyId(), data);
        assertThat(audit.tag(audit.primaryKeyId(), data)).isNotEqualTo(linkTag).isNotEqualTo(pepperTag);
        assertThat(pepperTag).hasSize(32).isNotEqualTo(linkTag);
        assertThat(audit.verify(links.primaryKeyId(), data, linkTag)).isFalse();
        assertThat(links.verify(pepper.primaryKeyId(), data, pepperTag)).isFalse();
        assertThat(pepper.toString()).isEqualTo("MacKeys[password-pepper]");
        for (KeyPurpose p : KeyPurpose.values()) {
            if (p == KeyPurpose.LINK_SIGNING || p == KeyPurpose.AUDIT || p == KeyPurpose.PASSWORD_PEPPER) continue;
            assertThatThrownBy(() -> k.macKeys(p)).as("%s", p).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aDestroyedSigningKeysetNeitherSignsNorVerifies() throws Exception {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring k = TestKeyrings.fresh(store);
        MacKeys keys = k.macKeys(KeyPurpose.AUDIT);
        int id = keys.primaryKeyId();
        byte[] tag = keys.tag(id, RFC4231_DATA);
        store.markDestroyed(KeysetName.of(KeyPurpose.AUDIT).id(), 1L);
        k.clearCache();
        for (Runnable use : new Runnable[] {() -> keys.tag(id, RFC4231_DATA), () -> keys.verify(id, RFC4231_DATA, tag),
                keys::primaryKeyId, keys::activeKeyIds}) {
            assertThatThrownBy(use::run).isInstanceOfSatisfying(KeyringException.class,
                    e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.KEYSET_DESTROYED));
        }
    }

    @Test
    void kidIsTheUnsignedDecimalKeyId() {
        assertThat(MacKeys.kid(RFC_KEY_ID)).isEqualTo("3405705229");
        assertThat(MacKeys.kid(7)).isEqualTo("7");
        assertThat(MacKeys.kid(-1)).isEqualTo("4294967295");
    }

    private static HmacKey hmacKey(byte[] bytes) throws Exception {
        HmacParameters p = HmacParameters.builder().setKeySizeBytes(bytes.length).setTagSizeBytes(32)
                .setHashType(HmacParameters.HashType.SHA256).setVariant(HmacParameters.Variant.NO_PREFIX).build();
        return HmacKey.builder().setParameters(p).setKeyBytes(SecretBytes.copyFrom(bytes, InsecureSecretKeyAccess.get())).build();
    }

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }
}
