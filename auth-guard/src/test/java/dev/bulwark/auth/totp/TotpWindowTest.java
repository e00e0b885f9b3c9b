package dev.bulwark.auth.totp;

import dev.bulwark.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exact acceptance bounds of TOTP codes, checked with the RFC 6238 Appendix B seed so every expected code is a
 * published value: "94287082" is the 8-digit SHA-1 code of step 1 (T = 30..59 s).
 */
class TotpWindowTest {
    private static final TotpSecret RFC_SEED = TotpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    private static final String STEP_1_CODE = "94287082";

    private static TotpAuthenticator at(MutableClock clock, int window) {
        return TotpAuthenticator.builder().digits(8).window(window).clock(clock).build();
    }

    private static boolean acceptedAt(long epochSecond, int window, String code) {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(epochSecond));
        return at(clock, window).verify("u", RFC_SEED, code);
    }

    @Test
    void rfcCodeIsAcceptedFromOneStepBeforeUntilOneStepAfterItsOwnStep() {
        // Step 1 is 30..59 s; a window of ±1 accepts it while "now" is in steps 0, 1 or 2, i.e. 0..89 s.
        assertThat(acceptedAt(0, 1, STEP_1_CODE)).isTrue();
        assertThat(acceptedAt(59, 1, STEP_1_CODE)).isTrue();
        assertThat(acceptedAt(89, 1, STEP_1_CODE)).isTrue();
        assertThat(acceptedAt(90, 1, STEP_1_CODE)).as("two steps later").isFalse();
    }

    @Test
    void zeroWindowAcceptsACodeOnlyDuringItsOwnThirtySeconds() {
        assertThat(acceptedAt(29, 0, STEP_1_CODE)).isFalse();
        assertThat(acceptedAt(30, 0, STEP_1_CODE)).isTrue();
        assertThat(acceptedAt(59, 0, STEP_1_CODE)).isTrue();
        assertThat(acceptedAt(60, 0, STEP_1_CODE)).isFalse();
    }

    @Test
    void codesContainingZeroAndNineAreAcceptedAndNonDigitsAreRefused() {
        assertThat(acceptedAt(59, 1, STEP_1_CODE)).isTrue(); // contains both '0' and '9'
        assertThat(acceptedAt(59, 1, "9428708/")).isFalse(); // '/' sorts just below '0'
        assertThat(acceptedAt(59, 1, "9428708:")).isFalse(); // ':' sorts just above '9'
        assertThat(acceptedAt(59, 1, STEP_1_CODE + "2")).isFalse();
        assertThat(acceptedAt(59, 1, STEP_1_CODE.substring(1))).isFalse();
    }

    @Test
    void sixAndSevenDigitCodesAreTheLowDigitsOfTheRfcValueWithLeadingZerosKept() {
        TotpAuthenticator six = TotpAuthenticator.builder().build();
        TotpAuthenticator seven = TotpAuthenticator.builder().digits(7).build();
        assertThat(six.codeAt(RFC_SEED, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(six.codeAt(RFC_SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        assertThat(seven.codeAt(RFC_SEED, Instant.ofEpochSecond(1111111109))).isEqualTo("7081804");
    }

    @Test
    void aCodeIsAcceptedOncePerUserEvenAcrossItsWholeWindow() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
        TotpAuthenticator totp = at(clock, 1);
        assertThat(totp.verify("u", RFC_SEED, STEP_1_CODE)).isTrue();
        clock.advance(Duration.ofSeconds(40));
        assertThat(totp.verify("u", RFC_SEED, STEP_1_CODE)).isFalse();
    }

    @Test
    void disablingMfaForgetsTheReplayStateSoAReEnrolledUserCanSignIn() {
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(45));
        TotpAuthenticator totp = at(clock, 1);
        assertThat(totp.verify("u", RFC_SEED, STEP_1_CODE)).isTrue();
        totp.disable("u");
        assertThat(totp.verify("u", RFC_SEED, STEP_1_CODE)).isTrue();
    }

    @Test
    void builderRefusesUnsupportedSettings() {
        assertThatThrownBy(() -> TotpAuthenticator.builder().digits(5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().digits(9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().window(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().window(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().issuer(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().issuer(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TotpAuthenticator.builder().issuer("Acme:Evil")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TotpAuthenticator.builder().digits(6).digits(8).window(0).window(1).build()).isNotNull();
    }

    @Test
    void enrolmentUriNamesTheConfiguredAlgorithmAndDigits() {
        TotpAuthenticator totp = TotpAuthenticator.builder().issuer("Acme").algorithm(TotpAlgorithm.SHA256).digits(8).build();
        TotpSecret s = totp.newSecret();
        assertThat(s.base32()).hasSize(52); // 32 bytes for HMAC-SHA256
        assertThat(totp.enrolmentUri(s, "bob")).isEqualTo("otpauth://totp/Acme:bob?secret=" + s.base32()
                + "&issuer=Acme&algorithm=SHA256&digits=8&period=30");
        assertThatThrownBy(() -> totp.enrolmentUri(s, null)).isInstanceOf(NullPointerException.class);
    }
}
