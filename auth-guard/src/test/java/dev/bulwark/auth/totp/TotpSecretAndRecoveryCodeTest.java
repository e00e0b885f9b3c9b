package dev.bulwark.auth.totp;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TotpSecretAndRecoveryCodeTest {

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 7);
        return b;
    }

    @Test
    void secretsMustBeSixteenToOneHundredTwentyEightBytes() {
        assertThatThrownBy(() -> TotpSecret.of(bytes(15))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpSecret.of(bytes(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpSecret.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TotpSecret.of(bytes(16)).base32()).isEqualTo(Base32.encode(bytes(16)));
        assertThat(TotpSecret.of(bytes(128)).base32()).isEqualTo(Base32.encode(bytes(128)));
    }

    @Test
    void base32SecretsShorterThan128BitsOrLongerThan128BytesAreRefused() {
        assertThat(TotpSecret.fromBase32(Base32.encode(bytes(15)))).isEmpty();
        assertThat(TotpSecret.fromBase32(Base32.encode(bytes(16)))).contains(TotpSecret.of(bytes(16)));
        assertThat(TotpSecret.fromBase32(Base32.encode(bytes(128)))).contains(TotpSecret.of(bytes(128)));
        assertThat(TotpSecret.fromBase32(Base32.encode(bytes(129)))).isEmpty();
    }

    @Test
    void secretsAreEqualExactlyWhenTheirKeysAre() {
        TotpSecret a = TotpSecret.of(bytes(20));
        assertThat(a).isEqualTo(TotpSecret.of(bytes(20))).hasSameHashCodeAs(TotpSecret.of(bytes(20)));
        assertThat(a).isNotEqualTo(TotpSecret.of(bytes(21))).isNotEqualTo("not a secret");
    }

    @Test
    void generatedSecretsHaveTheHmacOutputLength() {
        assertThat(TotpSecret.generate(TotpAlgorithm.SHA1).base32()).hasSize(32);   // 20 bytes
        assertThat(TotpSecret.generate(TotpAlgorithm.SHA256).base32()).hasSize(52); // 32 bytes
        assertThat(TotpSecret.generate(TotpAlgorithm.SHA512).base32()).hasSize(103); // 64 bytes
        assertThat(TotpAlgorithm.SHA512.secretLength()).isEqualTo(64);
    }

    @Test
    void base32DecoderRefusesImpossibleLengthsStrayPaddingAndNonZeroTrailingBits() {
        assertThat(Base32.decode(null)).isEmpty();
        assertThat(Base32.decode("")).isEmpty();
        assertThat(Base32.decode("====")).isEmpty();
        assertThat(Base32.decode("M")).isEmpty();       // 1 mod 8
        assertThat(Base32.decode("MZX")).isEmpty();     // 3 mod 8
        assertThat(Base32.decode("MZXW6Y")).isEmpty();  // 6 mod 8
        assertThat(Base32.decode("MZ")).isEmpty();      // trailing bits set
        assertThat(Base32.decode("MY=A")).isEmpty();    // data after padding
        assertThat(Base32.decode("M1")).isEmpty();      // '1' is not in the alphabet
        assertThat(Base32.decode("my==")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("f"));
        assertThat(Base32.decode("MZXW-6YTB")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("fooba"));
        assertThat(Base32.decode("MZXQ")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("fo"));
        assertThat(Base32.decode("MZXW6")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("foo"));
        assertThat(Base32.decode("MZXW6YQ")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("foob"));
    }

    @Test
    void recoveryCodesAvoidAmbiguousCharacters() {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        for (int i = 0; i < 5; i++) {
            assertThat(totp.newRecoveryCodes("u").codes()).hasSize(TotpAuthenticator.RECOVERY_CODE_COUNT)
                    .allSatisfy(c -> assertThat(c).matches("[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){5}"));
        }
    }

    @Test
    void recoveryCodeInputIsCappedAtSixtyFourCharactersBeforeNormalising() {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        String code = totp.newRecoveryCodes("u").codes().get(0);
        String padded64 = code + " ".repeat(64 - code.length());
        assertThat(totp.useRecoveryCode("u", padded64 + " ")).as("65 characters").isFalse();
        assertThat(totp.remainingRecoveryCodes("u")).isEqualTo(10);
        assertThat(totp.useRecoveryCode("u", padded64)).as("64 characters").isTrue();
        assertThat(totp.remainingRecoveryCodes("u")).isEqualTo(9);
    }

    @Test
    void recoveryCodeWithAMissingOrExtraCharacterIsRefusedWithoutUsingACode() {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        String code = totp.newRecoveryCodes("u").codes().get(0);
        assertThat(totp.useRecoveryCode("u", code.substring(1))).isFalse();
        assertThat(totp.useRecoveryCode("u", code + "a")).isFalse();
        assertThat(totp.useRecoveryCode("u", null)).isFalse();
        assertThat(totp.remainingRecoveryCodes("u")).isEqualTo(10);
        assertThat(totp.remainingRecoveryCodes("nobody")).isZero();
    }
}
