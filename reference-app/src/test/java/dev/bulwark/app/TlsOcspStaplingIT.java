package dev.bulwark.app;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.testkit.TestDatabase;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ASVS 9.2.4: the app's HTTPS server staples OCSP responses. A throwaway CA issues the server certificate with an OCSP
 * responder URL (Authority Information Access) pointing at a local responder that signs GOOD or REVOKED per serial and
 * counts what it is asked; the app serves that certificate (BULWARK_TLS_CERT_FILE, leaf + CA) and a JSSE client that
 * sends status_request reads the stapled response from the handshake. With stapling off the client gets no response
 * and both tests fail; a revocation-checking client that had to ask the responder itself would show up in the count.
 */
class TlsOcspStaplingIT {
    private static Ca ca;
    private static Responder responder;

    @BeforeAll
    static void caAndResponder() throws Exception {
        ca = new Ca();
        responder = new Responder(ca);
    }

    @AfterAll
    static void stopResponder() {
        if (responder != null) responder.server.stop(0);
    }

    @Test
    void httpsServerStaplesTheResponderGoodAnswerForItsCertificate() throws Exception {
        Issued leaf = ca.issue(responder.url());
        responder.statuses.put(leaf.cert.getSerialNumber(), CertificateStatus.GOOD);
        try (leaf; TestApp app = TestApp.start(TestDatabase.Kind.H2, leaf.appEnv())) {
            List<byte[]> stapled = stapledResponses(app.httpsPort(), plainClient());
            assertThat(stapled).as("stapled OCSP responses (leaf first)").isNotEmpty();
            assertThat(stapled.get(0)).as("the leaf's stapled response").isNotEmpty();
            SingleResp single = leafStatus(stapled.get(0), leaf.cert);
            assertThat(single.getCertStatus()).isEqualTo(CertificateStatus.GOOD);
            int asked = responder.asked(leaf.cert.getSerialNumber());
            assertThat(asked).as("the server asked the responder").isGreaterThanOrEqualTo(1);

            // A client that checks revocation accepts the certificate on the staple alone: the responder hears nothing new.
            stapledResponses(app.httpsPort(), revocationCheckingClient());
            assertThat(responder.asked(leaf.cert.getSerialNumber())).as("responder requests after a second, revocation-checking client")
                    .isEqualTo(asked);
        }
    }

    @Test
    void revokedCertificateIsStapledAsRevokedAndARevocationCheckingClientRefusesIt() throws Exception {
        Issued leaf = ca.issue(responder.url());
        responder.statuses.put(leaf.cert.getSerialNumber(), new RevokedStatus(Date.from(Instant.now().minus(Duration.ofHours(1))), CRLReason.keyCompromise));
        try (leaf; TestApp app = TestApp.start(TestDatabase.Kind.H2, leaf.appEnv())) {
            List<byte[]> stapled = stapledResponses(app.httpsPort(), plainClient());
            assertThat(stapled).as("stapled OCSP responses (leaf first)").isNotEmpty();
            SingleResp single = leafStatus(stapled.get(0), leaf.cert);
            assertThat(single.getCertStatus()).isInstanceOf(RevokedStatus.class);
            assertThat(((RevokedStatus) single.getCertStatus()).getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
            int asked = responder.asked(leaf.cert.getSerialNumber());

            assertThatThrownBy(() -> stapledResponses(app.httpsPort(), revocationCheckingClient()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .satisfies(e -> assertThat(validatorReason(e)).isEqualTo(CertPathValidatorException.BasicReason.REVOKED));
            assertThat(responder.asked(leaf.cert.getSerialNumber())).as("the refusal came from the staple, not from the client asking the responder")
                    .isEqualTo(asked);
        }
    }

    /** A full TLS 1.3 handshake (fresh context: no resumption) with status_request; returns the stapled OCSP responses. */
    private static List<byte[]> stapledResponses(int port, SSLContext client) throws Exception {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("localhost", port)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setProtocols(new String[]{"TLSv1.3"});
            s.setSSLParameters(p);
            s.startHandshake();
            return ((ExtendedSSLSession) s.getSession()).getStatusResponses();
        }
    }

    private static SSLContext plainClient() throws Exception {
        // SunJSSE's client default already sends status_request; stated here because the test depends on it.
        System.setProperty("jdk.tls.client.enableStatusRequestExtension", "true");
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ca.trustStore());
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** A client whose trust manager checks the leaf's revocation by OCSP only (no CRL fallback, no soft fail). */
    private static SSLContext revocationCheckingClient() throws Exception {
        System.setProperty("jdk.tls.client.enableStatusRequestExtension", "true");
        PKIXBuilderParameters params = new PKIXBuilderParameters(ca.trustStore(), new X509CertSelector());
        PKIXRevocationChecker rc = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX").getRevocationChecker();
        rc.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY, PKIXRevocationChecker.Option.NO_FALLBACK));
        params.addCertPathChecker(rc);
        params.setRevocationEnabled(true);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(params));
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /** Parses a stapled response, checks the CA signed it, and returns its answer for {@code leaf}. */
    private static SingleResp leafStatus(byte[] der, X509Certificate leaf) throws Exception {
        OCSPResp resp = new OCSPResp(der);
        assertThat(resp.getStatus()).isEqualTo(OCSPRespBuilder.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.cert))).as("signed by the CA").isTrue();
        for (SingleResp r : basic.getResponses()) {
            if (r.getCertID().getSerialNumber().equals(leaf.getSerialNumber())) return r;
        }
        throw new AssertionError("the stapled response says nothing about serial " + leaf.getSerialNumber());
    }

    private static CertPathValidatorException.Reason validatorReason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v) return v.getReason();
        }
        return null;
    }

    private record Issued(X509Certificate cert, KeyPair keys, Path dir) implements AutoCloseable {
        /** The app's TLS configuration: PEM chain (leaf, then the issuer stapling needs) and PKCS#8 key. */
        Map<String, String> appEnv() throws Exception {
            Path certFile = dir.resolve("server.crt");
            Path keyFile = dir.resolve("server.key");
            Files.writeString(certFile, pem(cert) + pem(ca.cert), StandardCharsets.US_ASCII);
            Files.writeString(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), StandardCharsets.US_ASCII);
            return Map.of("BULWARK_TLS_CERT_FILE", certFile.toString(), "BULWARK_TLS_KEY_FILE", keyFile.toString());
        }

        @Override
        public void close() throws Exception {
            Files.deleteIfExists(dir.resolve("server.crt"));
            Files.deleteIfExists(dir.resolve("server.key"));
            Files.deleteIfExists(dir);
        }

        private static String pem(Object o) throws Exception {
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(o);
            }
            return w.toString();
        }
    }

    /** A throwaway issuing CA (ECDSA P-256) that also signs the OCSP answers itself. */
    private static final class Ca {
        final KeyPair keys = keyPair();
        final X509Certificate cert;
        private final AtomicInteger serials = new AtomicInteger(1000);

        Ca() throws Exception {
            X500Name name = new X500Name("CN=Bulwark OCSP test CA");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }

        Issued issue(String ocspUrl) throws Exception {
            KeyPair kp = keyPair();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(cert, BigInteger.valueOf(serials.incrementAndGet()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    new X500Name("CN=localhost,O=Bulwark OCSP stapling test"), kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    new AccessDescription(AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new Issued(leaf, kp, Files.createTempDirectory("bulwark-ocsp-test"));
        }

        KeyStore trustStore() throws Exception {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("test-ca", cert);
            return ts;
        }

        private static KeyPair keyPair() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(256);
                return g.generateKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An HTTP OCSP responder on loopback (RFC 6960 over GET or POST): the CA's signed answer per serial, UNKNOWN otherwise. */
    private static final class Responder {
        final HttpServer server;
        /** Serial to answer; a synchronized HashMap because GOOD is BC's null status. */
        final Map<BigInteger, CertificateStatus> statuses = Collections.synchronizedMap(new HashMap<>());
        private final Map<BigInteger, AtomicInteger> asked = new ConcurrentHashMap<>();
        private final Ca ca;

        Responder(Ca ca) throws Exception {
            this.ca = ca;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/ocsp", exchange -> {
                try {
                    byte[] body;
                    if ("POST".equals(exchange.getRequestMethod())) {
                        try (InputStream in = exchange.getRequestBody()) {
                            body = answer(new OCSPReq(in.readAllBytes()));
                        }
                    } else {
                        String raw = exchange.getRequestURI().getRawPath().substring("/ocsp/".length());
                        body = answer(new OCSPReq(Base64.getDecoder().decode(URLDecoder.decode(raw, StandardCharsets.US_ASCII))));
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/ocsp";
        }

        int asked(BigInteger serial) {
            AtomicInteger n = asked.get(serial);
            return n == null ? 0 : n.get();
        }

        private byte[] answer(OCSPReq req) throws Exception {
            var digests = new JcaDigestCalculatorProviderBuilder().build();
            JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(ca.keys.getPublic(), digests.get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
            Date now = new Date();
            for (Req r : req.getRequestList()) {
                BigInteger serial = r.getCertID().getSerialNumber();
                asked.computeIfAbsent(serial, s -> new AtomicInteger()).incrementAndGet();
                b.addResponse(r.getCertID(), statuses.getOrDefault(serial, new UnknownStatus()),
                        new Date(now.getTime() - 60_000), new Date(now.getTime() + 3_600_000), null);
            }
            Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) b.setResponseExtensions(new Extensions(nonce));
            BasicOCSPResp basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.keys.getPrivate()), null, now);
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        }
    }
}
