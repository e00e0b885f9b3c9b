package dev.bulwark.app.platform;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The HTTPS certificate: from BULWARK_TLS_CERT_FILE/BULWARK_TLS_KEY_FILE, or generated with Bouncy Castle on first
 * start into {@code <data>/tls} (ECDSA P-256, self-signed, 397 days, SANs from BULWARK_TLS_HOSTNAMES plus loopback;
 * the key file is mode 0600). A generated certificate is renewed on start when it has less than 30 days left.
 * <p>
 * OCSP stapling (ASVS 9.2.4) is on: when the certificate names an OCSP responder (its Authority Information Access) and
 * the file also holds the issuer, the server fetches the responder's signed answer, caches it until its nextUpdate (at most
 * an hour) and sends it in the handshake to every client that asks (status_request). A generated certificate names no
 * responder, so there is nothing to staple.
 */
public final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    public record Pem(Path certFile, Path keyFile, boolean generated) {}

    /** SunJSSE reads this when an {@code SSLContext} is created (not once per JVM), defaulting to false. */
    static final String SERVER_STAPLING_PROPERTY = "jdk.tls.server.enableStatusRequestExtension";
    /** How long a handshake waits for the OCSP responder (ms); 1 s here unless the operator set it. */
    static final String STAPLING_TIMEOUT_PROPERTY = "jdk.tls.stapling.responseTimeout";

    private Tls() {}

    /**
     * Turns JSSE server-side OCSP stapling on for every server {@code SSLContext} created afterwards, unless the operator
     * set {@code -Djdk.tls.server.enableStatusRequestExtension} themselves (false is the way to turn it off). Call before
     * the HTTPS server is built. Returns whether stapling is on.
     */
    static boolean enableOcspStapling() {
        if (System.getProperty(SERVER_STAPLING_PROPERTY) == null) System.setProperty(SERVER_STAPLING_PROPERTY, "true");
        // JSSE caches only answers it got: with the responder down every handshake would wait the JDK's 5 s default.
        if (System.getProperty(STAPLING_TIMEOUT_PROPERTY) == null) System.setProperty(STAPLING_TIMEOUT_PROPERTY, "1000");
        return Boolean.parseBoolean(System.getProperty(SERVER_STAPLING_PROPERTY).trim());
    }

    /** Says in the log what stapling will do for this certificate file, and warns when it cannot work. */
    static void logStapling(Pem pem, boolean on) {
        if (!on) {
            log.warn("OCSP stapling is off ({}=false): clients must ask the CA themselves whether the certificate is revoked", SERVER_STAPLING_PROPERTY);
            return;
        }
        List<java.security.cert.X509Certificate> chain = chain(pem.certFile());
        Optional<String> responder = chain.isEmpty() ? Optional.empty() : ocspResponder(chain.get(0));
        if (responder.isEmpty()) {
            if (!pem.generated()) log.info("OCSP stapling is on, but the certificate names no OCSP responder: nothing to staple");
        } else if (chain.size() < 2) {
            log.warn("the certificate names the OCSP responder {} but {} holds no issuer certificate after it: add the intermediate "
                    + "so the server can ask for and staple the certificate's status", responder.get(), pem.certFile());
        } else {
            log.info("OCSP stapling is on: the certificate's status is fetched from {} and stapled to handshakes", responder.get());
        }
    }

    /** The OCSP responder URL of a certificate's Authority Information Access extension, if it names one. */
    static Optional<String> ocspResponder(java.security.cert.X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) return Optional.empty();
        try {
            var aia = AuthorityInformationAccess.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets());
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod()) && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    return Optional.of(d.getAccessLocation().getName().toString());
                }
            }
        } catch (RuntimeException e) {
            log.warn("unreadable Authority Information Access in the TLS certificate: {}", e.toString());
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static List<java.security.cert.X509Certificate> chain(Path certFile) {
        try (var in = Files.newInputStream(certFile)) {
            return (List<java.security.cert.X509Certificate>) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (Exception e) {
            return List.of();
        }
    }

    public static Pem certificate(Config config) {
        if (config.tlsCertFile.isPresent()) return new Pem(config.tlsCertFile.get(), config.tlsKeyFile.get(), false);
        Path dir = config.dataDir.resolve("tls");
        Path cert = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        try {
            if (Files.exists(cert) && Files.exists(key) && !expiresSoon(cert)) return new Pem(cert, key, true);
            Files.createDirectories(dir);
            generate(config.tlsHostnames, cert, key);
            log.info("generated a self-signed TLS certificate for {} in {}", config.tlsHostnames, dir);
            return new Pem(cert, key, true);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot create the TLS certificate in " + dir + ": " + e.getMessage());
        } catch (Exception e) {
            throw new ConfigException("cannot create the TLS certificate: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static boolean expiresSoon(Path cert) {
        try {
            var cf = java.security.cert.CertificateFactory.getInstance("X.509");
            try (var in = Files.newInputStream(cert)) {
                var c = (java.security.cert.X509Certificate) cf.generateCertificate(in);
                return c.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(30)));
            }
        } catch (Exception e) {
            return true;
        }
    }

    static void generate(List<String> hostnames, Path certFile, Path keyFile) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair kp = kpg.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + (hostnames.isEmpty() ? "localhost" : hostnames.get(0)) + ",O=Bulwark reference app (self-signed)");
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(1, serial),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(397))), subject, kp.getPublic());
        List<GeneralName> sans = new ArrayList<>();
        for (String h : hostnames) sans.add(new GeneralName(GeneralName.dNSName, h));
        sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        StringWriter certPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(certPem)) {
            w.writeObject(holder);
        }
        StringWriter keyPem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(keyPem)) {
            w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(kp.getPrivate(), null));
        }
        Files.deleteIfExists(keyFile);
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(keyFile, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING)) {
            w.write(keyPem.toString());
        }
        Files.writeString(certFile, certPem.toString(), StandardCharsets.US_ASCII);
        InetAddress.getLoopbackAddress();
    }
}
