package dev.bulwark.links;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 7515 (JWS) Appendix A.1: "Example JWS Using HMAC SHA-256". The key is imported through our
 * {@link LinkKey#fromJwk} and the token verified by the same signature stage {@link LinkVerifier} uses.
 */
class Rfc7515AppendixA1Test {
    static final String JWK = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";
    static final String TOKEN = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
            + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
            + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String PAYLOAD = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

    final LinkKey key = LinkKey.fromJwk(JWK);

    @Test
    void appendixA1TokenVerifiesWithTheAppendixKey() throws Exception {
        // The appendix header has no kid; the stage asks our resolver, which answers with the imported key.
        CompactHs256.Verified v = CompactHs256.verify(TOKEN, kid -> kid == null ? key : null, LinkKeyset.of(key));
        assertThat(new String(v.payload(), StandardCharsets.UTF_8)).isEqualTo(PAYLOAD);
        assertThat(v.key()).isSameAs(key);
    }

    @Test
    void appendixA1KeyWithoutKidIsNamedByItsThumbprint() {
        // RFC 7638 thumbprint of the appendix key: 43 base64url characters of SHA-256.
        assertThat(key.kid()).matches("[A-Za-z0-9_-]{43}");
        assertThat(LinkKey.fromJwk(JWK).kid()).isEqualTo(key.kid());
    }

    @Test
    void appendixA1TokenWithAnyAlteredSignatureCharacterIsRejected() {
        int sigStart = TOKEN.lastIndexOf('.') + 1;
        for (int i = sigStart; i < TOKEN.length(); i++) {
            char c = TOKEN.charAt(i);
            String altered = TOKEN.substring(0, i) + (c == 'A' ? 'B' : 'A') + TOKEN.substring(i + 1);
            assertThatThrownBy(() -> CompactHs256.verify(altered, kid -> key, null))
                    .isInstanceOfSatisfying(LinkRejected.class,
                            r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.BAD_SIGNATURE));
        }
    }

    @Test
    void appendixA1TokenIsNotALinkTokenForTheFullVerifier() {
        LinkVerifier verifier = LinkVerifier.builder().keys(LinkKeyset.of(key)).audience("joe").build();
        // Correct MAC, but no kid to choose a key by: refused before any claim is read.
        assertThatThrownBy(() -> verifier.verify(TOKEN, LinkPurpose.BOOKING, "ws"))
                .isInstanceOfSatisfying(LinkRejected.class,
                        r -> assertThat(r.reason()).isEqualTo(LinkRejected.Reason.MALFORMED));
    }
}
