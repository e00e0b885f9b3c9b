package dev.bulwark.app.sso;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.security.cert.CertificateException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workspace's CA certificate field: only PEM X.509 certificates are accepted, anything else is a typed refusal. */
class SsoTlsTest {
    @Test
    void noCaMeansTheJvmDefaults() {
        assertThat(SsoTls.context(Optional.empty())).isEmpty();
    }

    @Test
    void textWithoutACertificateIsRefused() {
        assertThatThrownBy(() -> SsoTls.parse("hello")).isInstanceOf(CertificateException.class).hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> SsoTls.parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> SsoTls.parse("x".repeat(SsoTls.MAX_PEM_LENGTH + 1))).isInstanceOf(CertificateException.class);
    }

    @Property(tries = 10000)
    void arbitraryTextNeverParsesAsACertificateAndNeverThrowsUnchecked(@ForAll String text) {
        try {
            SsoTls.parse("-----BEGIN CERTIFICATE-----\n" + text + "\n-----END CERTIFICATE-----\n");
        } catch (CertificateException expected) {
            return;
        }
        throw new AssertionError("garbage accepted as a certificate");
    }
}
