package dev.bulwark.auth.totp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TotpTest {

    @Test
    void enrolmentUriFollowsTheKeyUriFormat() {
        TotpAuthenticator totp = TotpAuthenticator.builder().issuer("Acme Bookings").build();
        TotpSecret s = totp.newSecret();
        String uri = totp.enrolmentUri(s, "ann@example.com");
        assertThat(uri).isEqualTo("otpauth://totp/Acme%20Bookings:ann%40example.com?secret=" + s.base32()
                + "&issuer=Acme%20Bookings&algorithm=SHA1&digits=6&period=30");
        assertThat(URI.create(uri).getScheme()).isEqualTo("otpauth");
        assertThat(s.base32()).hasSize(32); // 20 bytes
        assertThat(TotpSecret.fromBase32(s.base32())).contains(s);
    }

    @Test
    void secretsRedactThemselvesAndRejectShortKeys() {
        TotpSecret s = TotpSecret.generate(TotpAlgorithm.SHA256);
        assertThat(s.toString()).doesNotContain(s.base32());
        assertThatThrownBy(() -> TotpSecret.of(new byte[10])).isInstanceOf(IllegalArgumentException.class);
        assertThat(TotpSecret.fromBase32("MFRGG")).isEmpty();
    }

    @Test
    void base32MatchesRfc4648Vectors() {
        assertThat(Base32.encode("foobar".getBytes())).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode("fooba".getBytes())).isEqualTo("MZXW6YTB");
        assertThat(Base32.encode("f".getBytes())).isEqualTo("MY");
        assertThat(Base32.decode("MZXW6YTBOI======")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("foobar"));
        assertThat(Base32.decode("mzxw 6ytb oi")).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("foobar"));
    }

    @Property(tries = 1000)
    void base32RoundTrips(@ForAll @Size(max = 80) byte[] data) {
        assertThat(Base32.decode(Base32.encode(data)).orElse(new byte[0])).isEqualTo(data);
    }

    @Property(tries = 10000)
    void base32DecoderNeverThrows(@ForAll String text) {
        Base32.decode(text);
        TotpSecret.fromBase32(text);
    }

    @Property(tries = 10000)
    void verifyNeverThrowsOnArbitraryCodes(@ForAll String code) {
        TotpAuthenticator totp = TotpAuthenticator.builder().build();
        totp.verify("u", TotpSecret.generate(TotpAlgorithm.SHA1), code);
        totp.useRecoveryCode("u", code);
    }
}
