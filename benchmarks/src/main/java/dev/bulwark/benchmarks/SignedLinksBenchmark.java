package dev.bulwark.benchmarks;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.links.LinkKey;
import dev.bulwark.links.LinkKeyset;
import dev.bulwark.links.LinkPurpose;
import dev.bulwark.links.LinkRejected;
import dev.bulwark.links.LinkSigner;
import dev.bulwark.links.LinkVerifier;
import dev.bulwark.links.VerifiedLink;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * signed-links: verifications per second of one invoice-view link.
 * Ours (accept, and reject of a forged signature) against Nimbus parse + MAC verify + claims parse, and against a
 * bare HMAC-SHA256 of the signing input with an initialised Mac (the floor for any verifier).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SignedLinksBenchmark {
    private LinkVerifier verifier;
    private String token;
    private String forged;
    private MACVerifier nimbusVerifier;
    private Mac rawMac;
    private byte[] signingInput;

    @Setup
    public void setUp() throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        LinkKeyset keys = LinkKeyset.of(LinkKey.of("k1", key));
        LinkSigner signer = LinkSigner.builder().keys(keys).audience("https://app.example").build();
        verifier = LinkVerifier.builder().keys(keys).audience("https://app.example").build();
        token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws_8f2c1a", "inv_2026_0042");
        byte[] junk = new byte[32];
        new SecureRandom().nextBytes(junk);
        forged = token.substring(0, token.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(junk);
        nimbusVerifier = new MACVerifier(key);
        rawMac = Mac.getInstance("HmacSHA256");
        rawMac.init(new SecretKeySpec(key, "HmacSHA256"));
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public VerifiedLink oursAccept() throws LinkRejected {
        return verifier.verify(token, LinkPurpose.INVOICE_VIEW, "ws_8f2c1a");
    }

    @Benchmark
    public Object oursRejectForged() {
        try {
            return verifier.verify(forged, LinkPurpose.INVOICE_VIEW, "ws_8f2c1a");
        } catch (LinkRejected r) {
            return r.reason();
        }
    }

    @Benchmark
    public JWTClaimsSet nimbusParseVerifyAccept() throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!jwt.verify(nimbusVerifier)) throw new IllegalStateException("bad signature");
        return jwt.getJWTClaimsSet();
    }

    @Benchmark
    public boolean nimbusParseVerifyForged() throws Exception {
        return SignedJWT.parse(forged).verify(nimbusVerifier);
    }

    @Benchmark
    public byte[] rawHmacOfSigningInput() {
        return rawMac.doFinal(signingInput);
    }
}
