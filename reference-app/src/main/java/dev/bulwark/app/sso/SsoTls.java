package dev.bulwark.app.sso;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Trust for a workspace's identity provider and directory: the JVM's default CAs, or, when the workspace configured a
 * CA certificate (PEM), only that CA. Host names are still verified by auth-sso on every connection.
 */
final class SsoTls {
    static final int MAX_PEM_LENGTH = 16_000;

    private SsoTls() {}

    /** Parses PEM certificates; empty list or an exception message for anything that is not one or more X.509 certificates. */
    static List<X509Certificate> parse(String pem) throws CertificateException {
        if (pem.length() > MAX_PEM_LENGTH) throw new CertificateException("longer than " + MAX_PEM_LENGTH + " characters");
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) throw new CertificateException("no PEM certificate (-----BEGIN CERTIFICATE-----)");
        Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) out.add((X509Certificate) c);
        if (out.isEmpty() || out.size() > 10) throw new CertificateException("expected 1 to 10 certificates");
        return out;
    }

    /** The TLS context for a workspace: default trust, or only the configured CA certificate(s). */
    static Optional<SSLContext> context(Optional<String> pem) {
        if (pem.isEmpty()) return Optional.empty();
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate c : parse(pem.get())) ts.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return Optional.of(ctx);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("the workspace's CA certificate cannot be used: " + e.getMessage(), e);
        }
    }
}
