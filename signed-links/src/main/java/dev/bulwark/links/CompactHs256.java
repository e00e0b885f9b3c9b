package dev.bulwark.links;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;

/**
 * The signature stage of a compact HS256 JWS, shared by signer and verifier. It decides which key verifies
 * (never the token), checks the MAC over the signing input in constant time, and only then hands back the
 * payload bytes: no claims JSON is parsed before the MAC has been checked.
 */
final class CompactHs256 {
    /** Long enough for any link we issue, short enough that garbage is refused before any work. */
    static final int MAX_TOKEN_CHARS = 4096;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private CompactHs256() {}

    static String sign(LinkKey key, byte[] payloadJson) {
        String signingInput = key.headerSegment() + "." + B64.encodeToString(payloadJson);
        Mac mac = key.mac();
        byte[] tag = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(tag);
    }

    /** The outcome of the signature stage: the verified payload and the key that verified it. */
    record Verified(byte[] payload, LinkKey key) {}

    /**
     * @param keyForKid finds the key for the header's kid (the kid may be null when the header has none);
     *                  returns null when no key is known
     */
    static Verified verify(String token, Function<String, LinkKey> keyForKid, LinkKeyset fastPath)
            throws LinkRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED);
        }
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token is not a compact JWS (header.payload.signature)");
        }
        // ISO-8859-1 maps every char above 0xFF to '?'. No signed input contains '?' (we sign base64url and dots
        // only), so a token with such a char cannot produce a matching MAC; the full alphabet check runs after it.
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        LinkKey key = fastPath == null ? null : fastPath.byCanonicalHeader(token, firstDot);
        if (key == null) {
            key = keyFromForeignHeader(token.substring(0, firstDot), keyForKid);
        }

        // An empty signature (as "alg":"none" tokens have) reaches this point only under one of our headers.
        // The expected MAC is encoded and compared as text: base64url without padding has one spelling per
        // MAC only when unused bits are zero, which our encoder guarantees, so any other spelling fails.
        Mac mac = key.mac();
        mac.update(bytes, 0, secondDot);
        byte[] expected = B64.encode(mac.doFinal());
        byte[] presented = Arrays.copyOfRange(bytes, secondDot + 1, bytes.length);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new LinkRejected(LinkRejected.Reason.BAD_SIGNATURE);
        }
        for (byte c : bytes) {
            if (c != '.' && !isBase64Url(c)) {
                throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token contains a character outside base64url");
            }
        }
        byte[] payload = decodeCanonical(token.substring(firstDot + 1, secondDot));
        if (payload == null) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's payload is not canonical base64url");
        }
        return new Verified(payload, key);
    }

    /** A header that is not exactly one we write: parse it and apply the algorithm and key rules. */
    private static LinkKey keyFromForeignHeader(String headerSegment, Function<String, LinkKey> keyForKid)
            throws LinkRejected {
        for (int i = 0; i < headerSegment.length(); i++) {
            char c = headerSegment.charAt(i);
            if (c > 0x7f || !isBase64Url((byte) c)) {
                throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's header is not base64url");
            }
        }
        Header header;
        try {
            header = Header.parse(new Base64URL(headerSegment));
        } catch (ParseException | RuntimeException e) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's header is not a JOSE header");
        }
        if (!(header instanceof JWSHeader jws) || !JWSAlgorithm.HS256.equals(jws.getAlgorithm())) {
            // alg "none" parses as a PlainHeader, encryption algorithms as a JWEHeader.
            throw new LinkRejected(LinkRejected.Reason.ALGORITHM_NOT_ALLOWED,
                    "only HS256 is accepted; the token's header names another algorithm");
        }
        if (jws.getJWK() != null || jws.getJWKURL() != null || jws.getX509CertURL() != null
                || jws.getX509CertChain() != null || jws.getX509CertThumbprint() != null
                || jws.getX509CertSHA256Thumbprint() != null) {
            throw new LinkRejected(LinkRejected.Reason.ALGORITHM_NOT_ALLOWED,
                    "the token's header carries or points to its own key; keys are chosen by kid only");
        }
        if (jws.getCriticalParams() != null || !jws.isBase64URLEncodePayload()) {
            throw new LinkRejected(LinkRejected.Reason.MALFORMED, "the token's header has critical extensions");
        }
        LinkKey key = keyForKid.apply(jws.getKeyID());
        if (key == null) {
            throw new LinkRejected(jws.getKeyID() == null ? LinkRejected.Reason.MALFORMED : LinkRejected.Reason.UNKNOWN_KEY,
                    jws.getKeyID() == null ? "the token's header has no kid"
                            : LinkRejected.Reason.UNKNOWN_KEY.description());
        }
        return key;
    }

    /** Base64url without padding, rejecting non-zero unused trailing bits so each byte string has one spelling. */
    static byte[] decodeCanonical(String s) {
        if (s.length() % 4 == 1) return null;
        byte[] out;
        try {
            out = B64D.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int rem = s.length() % 4;
        if (rem != 0) {
            int last = value(s.charAt(s.length() - 1));
            int unusedBits = rem == 2 ? 4 : 2;
            if ((last & ((1 << unusedBits) - 1)) != 0) return null;
        }
        return out;
    }

    private static boolean isBase64Url(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        return c == '-' ? 62 : 63;
    }
}
