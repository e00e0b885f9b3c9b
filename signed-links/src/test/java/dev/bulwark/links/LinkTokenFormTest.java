package dev.bulwark.links;

import dev.bulwark.testkit.MutableClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static dev.bulwark.links.LinkRejected.Reason.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The form a token must have: compact shape, size limit, canonical base64url, the header allow-list and typed claims.
 * Most forgeries here carry a correct MAC under our key (as only the key holder could make), so each rejection is
 * shown to come from the rule under test and not from the signature.
 */
class LinkTokenFormTest {
    static final String AUD = "https://app.example";
    static final String OUR_HEADER = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";
    static final byte[] KEY_BYTES = new byte[32];

    static {
        for (int i = 0; i < KEY_BYTES.length; i++) KEY_BYTES[i] = (byte) (i * 11 + 7);
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    final LinkKeyset keyset = LinkKeyset.of(LinkKey.of("k1", KEY_BYTES));
    final LinkSigner signer = LinkSigner.builder().keys(keyset).audience(AUD).clock(clock).build();
    final LinkVerifier verifier = LinkVerifier.builder().keys(keyset).audience(AUD).clock(clock).build();
    final long now = clock.instant().getEpochSecond();

    /** Signs the exact text {@code headerSegment.payloadSegment} with our key. */
    static String macSigned(String headerSegment, String payloadSegment) {
        String input = headerSegment + "." + payloadSegment;
        return input + "." + Tokens.b64(Tokens.hmac("HmacSHA256", KEY_BYTES, input));
    }

    static String macSignedJson(String headerJson, String claimsJson) {
        return macSigned(Tokens.b64(headerJson), Tokens.b64(claimsJson));
    }

    String claims(String extra) {
        return "{\"aud\":\"" + AUD + "\",\"pur\":\"booking\",\"wid\":\"ws1\",\"sub\":\"b1\","
                + "\"jti\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"iat\":" + now + ",\"exp\":" + (now + 600) + extra + "}";
    }

    LinkRejected.Reason reason(String token) {
        return verifier.preview(token, LinkPurpose.BOOKING, "ws1").map(LinkRejected::reason).orElse(null);
    }

    @Test
    void controlTokensFromTheseHelpersAreAccepted() {
        assertThat(reason(macSignedJson(OUR_HEADER, claims("")))).isNull();
        assertThat(reason(macSignedJson("{\"kid\":\"k1\",\"alg\":\"HS256\"}", claims("")))).isNull();
    }

    @Test
    void missingEmptyAndNonCompactTokensAreMalformed() {
        String good = signer.issue(LinkPurpose.BOOKING, "ws1", "b1");
        String header = Tokens.part(good, 0);
        String payload = Tokens.part(good, 1);
        String sig = Tokens.part(good, 2);
        assertThat(reason(null)).isEqualTo(MALFORMED);
        assertThat(reason("")).isEqualTo(MALFORMED);
        assertThat(reason(header)).isEqualTo(MALFORMED);
        assertThat(reason(header + "." + payload)).as("no signature segment").isEqualTo(MALFORMED);
        assertThat(reason(header + ".." + sig)).as("empty payload").isEqualTo(MALFORMED);
        assertThat(reason("." + payload + "." + sig)).as("empty header").isEqualTo(MALFORMED);
        assertThat(reason(good + ".")).as("a fourth segment").isEqualTo(MALFORMED);
        assertThat(reason(good + "." + sig)).as("a fourth segment").isEqualTo(MALFORMED);
        assertThat(reason(good)).isNull();
    }

    @Test
    void tokensLongerThanTheLimitAreRefusedEvenWithAValidMac() {
        String header = Tokens.b64(OUR_HEADER);
        // header + '.' + payload + '.' + 43 signature characters; payload of n bytes takes ceil(4n/3) characters.
        int payloadChars = CompactHs256.MAX_TOKEN_CHARS - header.length() - 2 - 43;
        String base = claims(",\"pad\":\"\"");
        int padBytes = payloadChars / 4 * 3 - base.length();
        String atLimit = macSignedJson(OUR_HEADER, claims(",\"pad\":\"" + "x".repeat(padBytes) + "\""));
        assertThat(atLimit).hasSize(CompactHs256.MAX_TOKEN_CHARS);
        assertThat(reason(atLimit)).isNull();
        String overLimit = macSignedJson(OUR_HEADER, claims(",\"pad\":\"" + "x".repeat(padBytes + 1) + "\""));
        assertThat(overLimit.length()).isGreaterThan(CompactHs256.MAX_TOKEN_CHARS);
        assertThat(reason(overLimit)).isEqualTo(MALFORMED);
    }

    @Test
    void headerThatOnlyStartsWithOurHeaderIsParsedNotTrusted() {
        // Our exact header segment followed by more characters: not our header, and not JSON once decoded.
        String token = macSigned(Tokens.b64(OUR_HEADER) + "QUFB", Tokens.b64(claims("")));
        assertThat(reason(token)).isEqualTo(MALFORMED);
    }

    @Test
    void headerWithCharactersOutsideBase64UrlIsMalformedBeforeTheMac() {
        String claims = Tokens.b64(claims(""));
        String standardBase64 = Base64.getEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"kid\":\"k1\",\"x\":\"??>\"}"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(standardBase64).contains("/");
        assertThat(reason(standardBase64 + "." + claims + ".AAAA")).isEqualTo(MALFORMED);
        assertThat(reason("\u0141" + Tokens.b64(OUR_HEADER) + "." + claims + ".AAAA")).isEqualTo(MALFORMED);
        assertThat(reason(Tokens.b64(OUR_HEADER) + "\u00e9." + claims + ".AAAA")).isEqualTo(MALFORMED);
    }

    static String publicJwk() {
        try {
            return new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate()
                    .toPublicJWK().toJSONString();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void headersThatCarryOrPointToAKeyAreRefusedEachOne() {
        String claims = claims("");
        String[] keyHeaders = {
                "\"jku\":\"https://evil.example/jwks.json\"",
                "\"x5u\":\"https://evil.example/cert.pem\"",
                "\"x5c\":[\"MIIBAA\"]",
                "\"x5t\":\"dGh1bWJwcmludA\"",
                "\"x5t#S256\":\"dGh1bWJwcmludA\"",
                "\"jwk\":" + publicJwk(),
        };
        for (String h : keyHeaders) {
            assertThat(reason(macSignedJson("{\"alg\":\"HS256\",\"kid\":\"k1\"," + h + "}", claims))).as(h)
                    .isEqualTo(ALGORITHM_NOT_ALLOWED);
        }
    }

    @Test
    void encryptionHeadersAreNotSignatureAlgorithms() {
        assertThat(reason(macSignedJson("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"kid\":\"k1\"}", claims(""))))
                .isEqualTo(ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void criticalExtensionsAndUnencodedPayloadsAreRefused() {
        assertThat(reason(macSignedJson("{\"alg\":\"HS256\",\"kid\":\"k1\",\"crit\":[\"x-policy\"],\"x-policy\":1}", claims(""))))
                .isEqualTo(MALFORMED);
        assertThat(reason(macSignedJson("{\"alg\":\"HS256\",\"kid\":\"k1\",\"b64\":false}", claims(""))))
                .isEqualTo(MALFORMED);
        assertThat(reason(macSignedJson("{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", claims(""))))
                .as("an ordinary extra header is fine").isNull();
    }

    @Test
    void payloadMustBeCanonicalBase64UrlEvenWithAValidMac() {
        String header = Tokens.b64(OUR_HEADER);
        // Two trailing characters carry 4 unused bits, three carry 2: setting any unused bit is another spelling.
        java.util.Set<Integer> remaindersSeen = new java.util.HashSet<>();
        for (int n = 0; n < 3; n++) {
            String json = claims(",\"p\":\"" + "x".repeat(n) + "\"");
            String canonical = Tokens.b64(json);
            int rem = canonical.length() % 4;
            if (rem == 0) continue;
            remaindersSeen.add(rem);
            assertThat(reason(macSigned(header, canonical))).as("canonical, rem %d", rem).isNull();
            char last = canonical.charAt(canonical.length() - 1);
            int value = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last);
            int highestUnusedBit = rem == 2 ? 8 : 2;
            for (int bit = 1; bit <= highestUnusedBit; bit <<= 1) {
                char spelled = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".charAt(value | bit);
                String other = canonical.substring(0, canonical.length() - 1) + spelled;
                assertThat(Base64.getUrlDecoder().decode(other)).as("same bytes").isEqualTo(json.getBytes(StandardCharsets.UTF_8));
                assertThat(reason(macSigned(header, other))).as("rem %d, unused bit %d set", rem, bit).isEqualTo(MALFORMED);
            }
        }
        assertThat(remaindersSeen).containsExactlyInAnyOrder(2, 3);
        for (int n = 0; n < 3; n++) {
            String padded = Base64.getUrlEncoder().encodeToString(claims(",\"p\":\"" + "x".repeat(n) + "\"").getBytes(StandardCharsets.UTF_8));
            if (padded.endsWith("=")) assertThat(reason(macSigned(header, padded))).as("padded").isEqualTo(MALFORMED);
        }
        assertThat(reason(macSigned(header, Tokens.b64(claims("")) + "A"))).as("impossible length").isEqualTo(MALFORMED);
    }

    static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Whatever the payload's last character, only its canonical spelling is accepted. */
    @Property(tries = 200)
    void onlyTheCanonicalSpellingOfAnyPayloadIsAccepted(@ForAll @AlphaChars @NumericChars @StringLength(max = 12) String pad) {
        String header = Tokens.b64(OUR_HEADER);
        String canonical = Tokens.b64(claims(",\"p\":\"" + pad + "\""));
        assertThat(reason(macSigned(header, canonical))).isNull();
        int rem = canonical.length() % 4;
        if (rem == 0) return;
        int value = B64URL.indexOf(canonical.charAt(canonical.length() - 1));
        for (int bit = 1; bit < (rem == 2 ? 16 : 4); bit <<= 1) {
            String other = canonical.substring(0, canonical.length() - 1) + B64URL.charAt(value | bit);
            assertThat(reason(macSigned(header, other))).isEqualTo(MALFORMED);
        }
    }

    @Test
    void claimsThatAreNotAJsonObjectAreMalformedAfterTheMac() {
        for (String notAnObject : new String[] {"[]", "null", "\"text\"", "{\"aud\":", "42"}) {
            assertThat(reason(macSignedJson(OUR_HEADER, notAnObject))).as(notAnObject).isEqualTo(MALFORMED);
        }
    }

    @Test
    void everyRequiredClaimMustBePresentWithItsType() {
        String[][] broken = {
                {"\"aud\":\"" + AUD + "\",", ""}, {"\"aud\":\"" + AUD + "\"", "\"aud\":[\"" + AUD + "\"]"},
                {"\"pur\":\"booking\",", ""}, {"\"wid\":\"ws1\",", "\"wid\":1,"}, {"\"sub\":\"b1\",", ""},
                {"\"jti\":\"AAAAAAAAAAAAAAAAAAAAAA\",", ""},
                {"\"iat\":" + now, "\"iat\":\"" + now + "\""}, {"\"iat\":" + now, "\"iat\":-1"},
                {"\"iat\":" + now, "\"iat\":" + now + ".5"},
                {"\"exp\":" + (now + 600), "\"exp\":null"}, {",\"exp\":" + (now + 600), ""},
        };
        for (String[] b : broken) {
            String json = claims("").replace(b[0], b[1]);
            assertThat(json).isNotEqualTo(claims(""));
            assertThat(reason(macSignedJson(OUR_HEADER, json))).as(json).isEqualTo(MALFORMED);
        }
    }

    @Test
    void revocationVersionClaimIsOptionalButMustBeAWholeNumberWhenPresent() {
        assertThat(reason(macSignedJson(OUR_HEADER, claims(",\"ver\":0")))).isNull();
        assertThat(reason(macSignedJson(OUR_HEADER, claims(",\"ver\":3")))).isNull();
        assertThat(reason(macSignedJson(OUR_HEADER, claims(",\"ver\":-1")))).isEqualTo(MALFORMED);
        assertThat(reason(macSignedJson(OUR_HEADER, claims(",\"ver\":\"1\"")))).isEqualTo(MALFORMED);
        assertThat(reason(macSignedJson(OUR_HEADER, claims(",\"ver\":null")))).isEqualTo(MALFORMED);
    }

    @Test
    void tokenIdMustBe16To64Base64UrlCharacters() {
        String jti = "\"jti\":\"AAAAAAAAAAAAAAAAAAAAAA\"";
        assertThat(reason(macSignedJson(OUR_HEADER, claims("").replace(jti, "\"jti\":\"" + "a".repeat(16) + "\"")))).isNull();
        assertThat(reason(macSignedJson(OUR_HEADER, claims("").replace(jti, "\"jti\":\"" + "Z9-_".repeat(16) + "\"")))).isNull();
        for (String bad : new String[] {"a".repeat(15), "a".repeat(65), "a".repeat(15) + "+", "a".repeat(15) + "=", ""}) {
            assertThat(reason(macSignedJson(OUR_HEADER, claims("").replace(jti, "\"jti\":\"" + bad + "\"")))).as(bad)
                    .isEqualTo(MALFORMED);
        }
    }

    @Test
    void issuedTokensHaveTheDocumentedHeaderAndClaims() throws Exception {
        String token = signer.issue(LinkPurpose.TEAM_INVITE, "ws1", "invite_3");
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(Tokens.json(token, 0)).isEqualTo(OUR_HEADER);
        assertThat(Tokens.json(token, 1)).isEqualTo("{\"aud\":\"" + AUD + "\",\"pur\":\"team-invite\",\"wid\":\"ws1\","
                + "\"sub\":\"invite_3\",\"jti\":\"" + verifier.verify(token, LinkPurpose.TEAM_INVITE, "ws1").tokenId()
                + "\",\"iat\":" + now + ",\"exp\":" + (now + 7 * 86400) + "}");
        String other = signer.issue(LinkPurpose.TEAM_INVITE, "ws1", "invite_3");
        assertThat(Tokens.json(other, 1)).isNotEqualTo(Tokens.json(token, 1)); // a fresh random jti each time
    }
}
