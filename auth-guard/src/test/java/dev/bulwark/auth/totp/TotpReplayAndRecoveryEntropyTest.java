package dev.bulwark.auth.totp;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** ASVS 2.8.5 (a replayed one-time code is told apart from a wrong one) and 2.6.2 (lookup secrets of >= 112 bits). */
class TotpReplayAndRecoveryEntropyTest {
    /** RFC 6238 Appendix B seed; "94287082" is the published 8-digit SHA-1 code of step 1 (30..59 s). */
    private static final TotpSecret RFC_SEED = TotpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    private static final String STEP_1_CODE = "94287082";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    @Test
    void aUsedCodeIsReportedAsReplayedNotAsWrong() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(45));
        TotpAuthenticator totp = TotpAuthenticator.builder().digits(8).window(1).clock(clock).build();
        assertThat(totp.check("u", RFC_SEED, "12345678")).isEqualTo(TotpCheck.INVALID);
        assertThat(totp.check("u", RFC_SEED, STEP_1_CODE)).isEqualTo(TotpCheck.ACCEPTED);
        assertThat(totp.check("u", RFC_SEED, STEP_1_CODE)).isEqualTo(TotpCheck.REPLAYED);
        assertThat(totp.verify("u", RFC_SEED, STEP_1_CODE)).as("verify refuses the replay").isFalse();
        assertThat(totp.check("other-user", RFC_SEED, STEP_1_CODE)).as("steps are per user").isEqualTo(TotpCheck.ACCEPTED);
        assertThat(totp.check("u", RFC_SEED, "9428708")).as("malformed").isEqualTo(TotpCheck.INVALID);
        assertThat(totp.check("u", RFC_SEED, null)).isEqualTo(TotpCheck.INVALID);
    }

    @Test
    void anOlderCodeAfterANewerOneIsAReplayToo() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(65)); // step 2; step 1 is still inside the window
        TotpAuthenticator totp = TotpAuthenticator.builder().digits(8).window(1).clock(clock).build();
        String step2 = totp.codeAt(RFC_SEED, Instant.ofEpochSecond(65));
        assertThat(totp.check("u", RFC_SEED, step2)).isEqualTo(TotpCheck.ACCEPTED);
        assertThat(totp.check("u", RFC_SEED, STEP_1_CODE)).isEqualTo(TotpCheck.REPLAYED);
    }

    @Test
    void recoveryCodesCarryAtLeast112BitsEachAndAreUnique() {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        Set<String> seen = new HashSet<>();
        int[] counts = new int[ALPHABET.length()];
        int samples = 0;
        for (int round = 0; round < 100; round++) {
            List<String> codes = totp.newRecoveryCodes("u" + round).codes();
            assertThat(codes).hasSize(TotpAuthenticator.RECOVERY_CODE_COUNT);
            for (String code : codes) {
                assertThat(code).matches("[" + ALPHABET + "]{4}(-[" + ALPHABET + "]{4}){5}");
                String bare = code.replace("-", "");
                // 24 symbols drawn from 32: 24 * log2(32) = 120 bits of entropy when the symbols are uniform.
                assertThat(bare.length() * (Math.log(ALPHABET.length()) / Math.log(2))).isGreaterThanOrEqualTo(112);
                assertThat(seen.add(bare)).as("no code repeats").isTrue();
                for (char c : bare.toCharArray()) {
                    counts[ALPHABET.indexOf(c)]++;
                    samples++;
                }
            }
        }
        // Uniform symbols: 24 000 draws, 750 expected per symbol, standard deviation about 27; 6 sigma either side.
        double expected = (double) samples / ALPHABET.length();
        for (int i = 0; i < counts.length; i++) {
            assertThat((double) counts[i]).as("symbol " + ALPHABET.charAt(i)).isBetween(expected - 165, expected + 165);
        }
    }

    @Test
    void newTotpSecretsAreFreshRandomKeysNeverRepeatedOrBlank() {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TotpSecret s = totp.newSecret();
            assertThat(s.base32()).doesNotMatch("A+=*");
            assertThat(seen.add(s.base32())).as("secret repeated").isTrue();
        }
    }
}
