package dev.bulwark.app.platform;

import org.bouncycastle.asn1.x500.X500Name;
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

/**
 * The HTTPS certificate: from BULWARK_TLS_CERT_FILE/BULWARK_TLS_KEY_FILE, or generated with Bouncy Castle on first
 * start into {@code <data>/tls} (ECDSA P-256, self-signed, 397 days, SANs from BULWARK_TLS_HOSTNAMES plus loopback;
 * the key file is mode 0600). A generated certificate is renewed on start when it has less than 30 days left.
 */
public final class Tls {
    private static final Logger log = LoggerFactory.getLogger(Tls.class);

    public record Pem(Path certFile, Path keyFile, boolean generated) {}

    private Tls() {}

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
