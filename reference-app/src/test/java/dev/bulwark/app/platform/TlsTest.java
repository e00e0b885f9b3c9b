package dev.bulwark.app.platform;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TlsTest {
    @Test
    void generatedCertificateIsAServerCertForTheHostnamesWithAPrivateKeyFile() throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Config c = Config.from(Map.of("BULWARK_DATA_DIR", dir.toString(), "BULWARK_TLS_HOSTNAMES", "app.example,localhost"));
        Tls.Pem pem = Tls.certificate(c);
        assertThat(pem.generated()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem.keyFile()))).isEqualTo("rw-------");
        X509Certificate cert;
        try (var in = Files.newInputStream(pem.certFile())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()).toList())
                .contains("app.example", "localhost", "127.0.0.1");
        assertThat(cert.getNotAfter().toInstant()).isBefore(Instant.now().plus(398, ChronoUnit.DAYS));
        // A second start reuses the certificate instead of minting a new one.
        byte[] first = Files.readAllBytes(pem.certFile());
        assertThat(Files.readAllBytes(Tls.certificate(c).certFile())).isEqualTo(first);
        assertThat(List.of(pem.certFile().getFileName().toString())).containsExactly("server.crt");
    }
}
