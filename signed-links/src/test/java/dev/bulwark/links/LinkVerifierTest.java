package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static dev.bulwark.links.LinkRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkVerifierTest {
    static final String AUD = "https://app.example";
    static final byte[] KEY_BYTES = new byte[32];

    static {
        for (int i = 0; i < KEY_BYTES.length; i++) KEY_BYTES[i] = (byte) (i * 7 + 3);
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKey key = LinkKey.of("k1", KEY_BYTES);
    final LinkKeyset keyset = LinkKeyset.of(key);
    final LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
    final LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).build();

    LinkRejected.Reason reasonOf(String token, LinkPurpose purpose, String workspace) {
        try {
            verifier.verify(token, purpose, workspace);
        } catch (LinkRejected r) {
            return r.reason();
        }
        throw new AssertionError("token was accepted");
    }

    /** Signs arbitrary header and claims JSON with our key, as an attacker who somehow had it could not. */
    String signRaw(String headerJson, String claimsJson, String macAlg, byte[] macKey) {
        String input = Tokens.b64(headerJson) + "." + Tokens.b64(claimsJson);
        return input + "." + Tokens.b64(Tokens.hmac(macAlg, macKey, input));
    }

    String claimsJson(long iat, long exp) {
        return "{\"aud\":\"" + AUD + "\",\"pur\":\"invoice-view\",\"wid\":\"ws1\",\"sub\":\"inv_1\","
                + "\"jti\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"iat\":" + iat + ",\"exp\":" + exp + "}";
    }

    @Test
    void issuedLinkVerifiesWithItsClaims() throws Exception {
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_42");
        VerifiedLink link = verifier.verify(token, LinkPurpose.INVOICE_VIEW, "ws1", "inv_42");
        assertThat(link.workspaceId()).isEqualTo("ws1");
        assertThat(link.resourceId()).isEqualTo("inv_42");
        assertThat(link.keyId()).isEqualTo("k1");
        assertThat(link.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
        assertThat(Tokens.json(token, 0)).isEqualTo("{\"alg\":\"HS256\",\"kid\":\"k1\"}");
        assertThat(token.length()).isLessThan(320);
    }

    @Test
    void expiredLinkIsRejectedAsExpiredOnlyAfterTheSkew() throws Exception {
        String token = signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "user_1");
        clock.advance(Duration.ofMinutes(30).plusSeconds(30));
        assertThat(verifier.preview(token, LinkPurpose.PASSWORD_RESET, "ws1")).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(reasonOf(token, LinkPurpose.PASSWORD_RESET, "ws1")).isEqualTo(EXPIRED);
    }

    @Test
    void tokenIssuedInTheFutureIsNotYetValid() {
        long now = clock.instant().getEpochSecond();
        String token = signRaw("{\"alg\":\"HS256\",\"kid\":\"k1\"}", claimsJson(now + 120, now + 600), "HmacSHA256", KEY_BYTES);
        assertThat(reasonOf(token, LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(NOT_YET_VALID);
        clock.advance(Duration.ofSeconds(90));
        assertThat(verifier.preview(token, LinkPurpose.INVOICE_VIEW, "ws1")).isEmpty();
    }

    @Test
    void wrongPurposeWorkspaceResourceAndAudienceAreRejectedWithTheirReason() {
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
        assertThat(reasonOf(token, LinkPurpose.BOOKING, "ws1")).isEqualTo(WRONG_PURPOSE);
        assertThat(reasonOf(token, LinkPurpose.INVOICE_VIEW, "ws2")).isEqualTo(WRONG_WORKSPACE);
        assertThatThrownBy(() -> verifier.verify(token, LinkPurpose.INVOICE_VIEW, "ws1", "inv_2"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(WRONG_RESOURCE));
        LinkVerifier otherApp = LinkVerifier.builder().keys(keyset).audience("https://other.example").clock(clock).build();
        assertThatThrownBy(() -> otherApp.verify(token, LinkPurpose.INVOICE_VIEW, "ws1"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(WRONG_AUDIENCE));
    }

    @Test
    void samePurposeNameWithShorterCapRejectsLongerLinks() {
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
        LinkPurpose shortInvoice = LinkPurpose.of("invoice-view", Duration.ofDays(1), false);
        assertThat(reasonOf(token, shortInvoice, "ws1")).isEqualTo(LIFETIME_EXCEEDS_PURPOSE);
    }

    @Test
    void signerRefusesLifetimeAboveThePurposeCap() {
        assertThatThrownBy(() -> signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1", Duration.ofMinutes(31)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password-reset");
        assertThat(signer.issue(LinkPurpose.PASSWORD_RESET, "ws1", "u1", Duration.ofMinutes(5))).isNotBlank();
    }

    @Test
    void algNoneIsRejected() {
        long now = clock.instant().getEpochSecond();
        String claims = Tokens.b64(claimsJson(now, now + 60));
        String unsigned = Tokens.b64("{\"alg\":\"none\"}") + "." + claims + ".";
        String unsignedWithKid = Tokens.b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + claims + ".";
        String noneWithOurMac = signRaw("{\"alg\":\"none\",\"kid\":\"k1\"}", claimsJson(now, now + 60), "HmacSHA256", KEY_BYTES);
        String ourHeaderNoSignature = Tokens.b64("{\"alg\":\"HS256\",\"kid\":\"k1\"}") + "." + claims + ".";
        assertThat(reasonOf(unsigned, LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        assertThat(reasonOf(unsignedWithKid, LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        assertThat(reasonOf(noneWithOurMac, LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        assertThat(reasonOf(ourHeaderNoSignature, LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void otherHmacAlgorithmsWithTheSameKeyAreRejected() {
        long now = clock.instant().getEpochSecond();
        String claims = claimsJson(now, now + 60);
        assertThat(reasonOf(signRaw("{\"alg\":\"HS512\",\"kid\":\"k1\"}", claims, "HmacSHA512", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        assertThat(reasonOf(signRaw("{\"alg\":\"HS384\",\"kid\":\"k1\"}", claims, "HmacSHA384", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        // Case and spelling variants of HS256 are other algorithms too.
        assertThat(reasonOf(signRaw("{\"alg\":\"hs256\",\"kid\":\"k1\"}", claims, "HmacSHA256", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
        // The control: the same forged structure with HS256 is accepted, so the rejections above are about alg.
        assertThat(verifier.preview(signRaw("{\"alg\":\"HS256\",\"kid\":\"k1\"}", claims, "HmacSHA256", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEmpty();
    }

    @Test
    void asymmetricAlgorithmTokensAreRejectedAsAlgorithmConfusion() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        long now = clock.instant().getEpochSecond();
        JWTClaimsSet claims = JWTClaimsSet.parse(claimsJson(now, now + 60));
        SignedJWT rs256 = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        rs256.sign(new RSASSASigner(rsa));
        assertThat(reasonOf(rs256.serialize(), LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);

        // HS256 with a valid MAC under our key, but the header also embeds a public key: still refused.
        JWSObject embedded = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1")
                .jwk(rsa.toPublicJWK()).build(), new Payload(claims.toJSONObject()));
        embedded.sign(new MACSigner(KEY_BYTES));
        assertThat(reasonOf(embedded.serialize(), LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void headerWithoutKidOrWithUnknownKidIsRejected() {
        long now = clock.instant().getEpochSecond();
        String claims = claimsJson(now, now + 60);
        assertThat(reasonOf(signRaw("{\"alg\":\"HS256\"}", claims, "HmacSHA256", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(MALFORMED);
        assertThat(reasonOf(signRaw("{\"alg\":\"HS256\",\"kid\":\"k9\"}", claims, "HmacSHA256", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isEqualTo(UNKNOWN_KEY);
        assertThat(reasonOf(signRaw("{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"exp\"]}", claims, "HmacSHA256", KEY_BYTES),
                LinkPurpose.INVOICE_VIEW, "ws1")).isIn(MALFORMED);
    }

    @Test
    void tokenSignedWithAnotherKeyUnderOurKidHasBadSignature() {
        LinkKey impostor = LinkKey.generate("k1");
        LinkSigner forger = LinkSigner.builder().keys(LinkKeyset.of(impostor)).audience(AUD).clock(clock).build();
        assertThat(reasonOf(forger.issue(LinkPurpose.BOOKING, "ws1", "b1"), LinkPurpose.BOOKING, "ws1"))
                .isEqualTo(BAD_SIGNATURE);
    }

    @Test
    void keyRotationVerifiesOldLinksUntilTheOldKeyIsDropped() throws Exception {
        String oldToken = signer.issue(LinkPurpose.BOOKING, "ws1", "b1");
        LinkKey k2 = LinkKey.generate("k2");
        LinkKeyset rotated = LinkKeyset.builder().primary(k2).add(key).build();
        LinkKeyset[] current = {rotated};
        LinkKeySource source = () -> current[0];
        LinkSigner newSigner = LinkSigner.builder().keys(source).audience(AUD).clock(clock).build();
        LinkVerifier newVerifier = LinkVerifier.builder().keys(source).audience(AUD).clock(clock).build();

        String newToken = newSigner.issue(LinkPurpose.BOOKING, "ws1", "b1");
        assertThat(Tokens.json(newToken, 0)).contains("\"kid\":\"k2\"");
        assertThat(newVerifier.verify(newToken, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k2");
        assertThat(newVerifier.verify(oldToken, LinkPurpose.BOOKING, "ws1").keyId()).isEqualTo("k1");

        current[0] = LinkKeyset.of(k2);
        assertThatThrownBy(() -> newVerifier.verify(oldToken, LinkPurpose.BOOKING, "ws1"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(UNKNOWN_KEY));
        assertThat(reasonOf(newToken, LinkPurpose.BOOKING, "ws1")).isEqualTo(UNKNOWN_KEY);
    }

    @Test
    void singleUseLinkIsAcceptedOnceAndPreviewDoesNotConsumeIt() throws Exception {
        String token = signer.issue(LinkPurpose.TEAM_INVITE, "ws1", "invite_7");
        assertThat(verifier.preview(token, LinkPurpose.TEAM_INVITE, "ws1")).isEmpty();
        assertThat(verifier.preview(token, LinkPurpose.TEAM_INVITE, "ws1")).isEmpty();
        verifier.verify(token, LinkPurpose.TEAM_INVITE, "ws1");
        assertThat(reasonOf(token, LinkPurpose.TEAM_INVITE, "ws1")).isEqualTo(ALREADY_USED);
        Optional<LinkRejected> preview = verifier.preview(token, LinkPurpose.TEAM_INVITE, "ws1");
        assertThat(preview).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ALREADY_USED));
    }

    @Test
    void multiUseLinkIsAcceptedRepeatedly() throws Exception {
        String token = signer.issue(LinkPurpose.BOOKING, "ws1", "b1");
        for (int i = 0; i < 3; i++) verifier.verify(token, LinkPurpose.BOOKING, "ws1");
    }

    @Test
    void revokingAResourceRejectsItsEarlierLinksOnly() throws Exception {
        InMemoryLinkRevocationStore revocations = new InMemoryLinkRevocationStore();
        LinkSigner s = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).revocations(revocations).build();
        LinkVerifier v = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).revocations(revocations).build();
        String before = s.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
        String otherInvoice = s.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_2");
        assertThat(revocations.revokeAll("ws1", "inv_1")).isEqualTo(1);
        String after = s.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");

        assertThatThrownBy(() -> v.verify(before, LinkPurpose.INVOICE_VIEW, "ws1"))
                .isInstanceOfSatisfying(LinkRejected.class, r -> assertThat(r.reason()).isEqualTo(REVOKED));
        assertThat(v.verify(after, LinkPurpose.INVOICE_VIEW, "ws1").resourceVersion()).isEqualTo(1);
        assertThat(v.verify(otherInvoice, LinkPurpose.INVOICE_VIEW, "ws1").resourceVersion()).isZero();
    }

    @Test
    void ourTokensVerifyWithNimbusAndNimbusTokensWithOurKidVerifyWithUs() throws Exception {
        String ours = signer.issue(LinkPurpose.BOOKING, "ws1", "b1");
        SignedJWT parsed = SignedJWT.parse(ours);
        assertThat(parsed.verify(new MACVerifier(KEY_BYTES))).isTrue();
        assertThat(parsed.getJWTClaimsSet().getAudience()).containsExactly(AUD);
        assertThat(parsed.getJWTClaimsSet().getSubject()).isEqualTo("b1");

        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(AUD).subject("b9").claim("pur", "booking")
                .claim("wid", "ws1").jwtID("nimbus-made-token-id-1").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).build();
        SignedJWT theirs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1")
                .type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
        theirs.sign(new MACSigner(KEY_BYTES));
        assertThat(verifier.verify(theirs.serialize(), LinkPurpose.BOOKING, "ws1").resourceId()).isEqualTo("b9");
    }

    @Test
    void rejectionMessagesAndToStringsRevealNoSecretOrToken() {
        String token = signer.issue(LinkPurpose.INVOICE_VIEW, "ws1", "inv_1");
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BA" : "AA");
        for (String t : new String[] {tampered, token + "x", "not.a.token"}) {
            try {
                verifier.verify(t, LinkPurpose.BOOKING, "ws1");
                throw new AssertionError("accepted " + t);
            } catch (LinkRejected r) {
                assertThat(r.getMessage()).doesNotContain(Tokens.part(token, 2)).doesNotContain(Tokens.part(token, 1));
                assertThat(r.getStackTrace()).isEmpty();
            }
        }
        assertThat(key.toString()).contains("k1").contains("redacted").doesNotContain(Tokens.b64(KEY_BYTES));
        assertThat(keyset.toString()).doesNotContain(Tokens.b64(KEY_BYTES));
    }

    @Test
    void shortKeysAndBadKidsAreRefused() {
        assertThatThrownBy(() -> LinkKey.of("k1", new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.of("k\"1", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.fromJwk("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkKey.fromJwk("{nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("nope");
        assertThatThrownBy(() -> LinkVerifier.builder().keys(keyset).audience(AUD).clockSkew(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
