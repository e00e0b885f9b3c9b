package dev.bulwark.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretHygieneTest {

    @Property(tries = 500)
    void secretToStringNeverShowsTheValue(@ForAll String value) {
        Secret s = Secret.ofUtf8(value);
        assertThat(s.toString()).isEqualTo("Secret[redacted]");
        assertThat(s.matches(Secret.ofUtf8(value))).isTrue();
        assertThat(s.matches(Secret.ofUtf8(value + "x"))).isFalse();
    }

    @Property(tries = 500)
    void constantTimeEqualsAgreesWithEquals(@ForAll byte[] a, @ForAll byte[] b) {
        assertThat(ConstantTime.equals(a, b)).isEqualTo(java.util.Arrays.equals(a, b));
        assertThat(ConstantTime.equalsHidingLength(a, b)).isEqualTo(java.util.Arrays.equals(a, b));
        assertThat(ConstantTime.equals(a, a.clone())).isTrue();
    }

    @Test
    void constantTimeStringEquality() {
        assertThat(ConstantTime.equals("token-abc", "token-abc")).isTrue();
        assertThat(ConstantTime.equals("token-abc", "token-abd")).isFalse();
        assertThat(ConstantTime.equals("", null)).isFalse();
        assertThat(ConstantTime.equals((CharSequence) null, null)).isTrue();
    }

    @Test
    void destroyedSecretIsWipedAndUnusable() {
        char[] chars = "hunter2".toCharArray();
        Secret s = Secret.ofChars(chars);
        assertThat(s.bytes()).isEqualTo("hunter2".getBytes(StandardCharsets.UTF_8));
        s.destroy();
        assertThat(s.isDestroyed()).isTrue();
        assertThatThrownBy(s::bytes).isInstanceOf(IllegalStateException.class).hasMessageNotContaining("hunter2");
    }

    @Test
    void noKeyMaterialInToStringOrErrors() throws Exception {
        Keyring k = TestKeyrings.withFixedTestKeysets();
        String keyB64 = java.util.Base64.getEncoder().encodeToString(KnownAnswerTest.lastKeyBytes("fields", 0x22222222));
        for (Object o : new Object[] {k, k.fields(), k.info(KeysetName.of(KeyPurpose.FIELDS)), k.files(), k.blindIndexes(),
                k.masterKey(), new IndexedRow("1", "ann@example.com", "i")}) {
            assertThat(o.toString()).doesNotContain(keyB64.substring(0, 10)).doesNotContain("ann@example.com");
        }
        try {
            k.fields().decrypt(KnownAnswerTest.EMAIL_CT, FieldContext.of("ws_kat", "customers", "email", "row-2"));
        } catch (DecryptionException e) {
            assertThat(e.getMessage()).doesNotContain("ann@example.com").doesNotContain(keyB64.substring(0, 10));
        }
    }
}
