package dev.bulwark.auth.sso;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks an ID token the way OpenID Connect Core 3.1.3.7 asks, in this order: shape, algorithm allow-list (never
 * {@code none}, never MAC, never encrypted), key by kid from the provider's key set (refetched once, rate-limited,
 * when the kid is unknown, which is how key rotation is picked up), signature, then claims: issuer, audience and
 * authorized party, expiry and issue time with a small skew, nonce. Claims are read only after the signature verified.
 */
final class IdTokenVerifier {
    /** Longest ID token accepted; real ones are 1–3 KB. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    static final int MIN_RSA_BITS = 2048;

    /** Where verification keys come from: the cached key set, and a refetch for unknown key ids. */
    interface KeyLookup {
        List<JWK> cached() throws SsoRejected;

        /** The key set refetched from the provider, or the cached one if a refetch happened too recently. */
        List<JWK> refreshed() throws SsoRejected;
    }

    private final Set<JWSAlgorithm> allowed;
    private final Duration skew;

    IdTokenVerifier(Set<JWSAlgorithm> allowed, Duration skew) {
        this.allowed = Set.copyOf(allowed);
        this.skew = skew;
    }

    /** Returns the verified claims, or throws a typed rejection. Never throws anything unchecked on hostile input. */
    JWTClaimsSet verify(String token, String issuer, String clientId, String nonce, Instant now, KeyLookup keys)
            throws SsoRejected {
        try {
            return doVerify(token, issuer, clientId, nonce, now, keys);
        } catch (SsoRejected r) {
            throw r;
        } catch (RuntimeException | StackOverflowError e) {
            // Belt and braces: a parser bug on hostile input must still end in a typed refusal.
            throw new SsoRejected(SsoRejected.Reason.MALFORMED_ID_TOKEN);
        }
    }

    private JWTClaimsSet doVerify(String token, String issuer, String clientId, String nonce, Instant now,
                                  KeyLookup keys) throws SsoRejected {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) throw malformed();
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') dots++;
            else if (!isBase64UrlChar(c)) throw malformed();
        }
        if (dots == 4) throw new SsoRejected(SsoRejected.Reason.ALGORITHM_NOT_ALLOWED, "encrypted ID tokens are not accepted");
        if (dots != 2) throw malformed();
        int firstDot = token.indexOf('.');
        Header header;
        try {
            header = Header.parse(new Base64URL(token.substring(0, firstDot)));
        } catch (ParseException e) {
            throw malformed();
        }
        if (!(header instanceof JWSHeader)) {
            throw new SsoRejected(SsoRejected.Reason.ALGORITHM_NOT_ALLOWED, "unsigned or encrypted ID tokens are not accepted");
        }
        JWSHeader jws = (JWSHeader) header;
        JWSAlgorithm alg = jws.getAlgorithm();
        if (alg == null || !allowed.contains(alg)) {
            throw new SsoRejected(SsoRejected.Reason.ALGORITHM_NOT_ALLOWED,
                    "the ID token's algorithm is not on the allow-list " + allowedNames());
        }
        if (jws.getCriticalParams() != null && !jws.getCriticalParams().isEmpty()) throw malformed();
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw malformed();
        }

        List<JWK> candidates = candidates(keys.cached(), jws);
        if (candidates.isEmpty()) candidates = candidates(keys.refreshed(), jws);
        if (candidates.isEmpty()) throw new SsoRejected(SsoRejected.Reason.UNKNOWN_KEY);
        if (candidates.size() > 1) {
            throw new SsoRejected(SsoRejected.Reason.UNKNOWN_KEY, "the ID token has no kid and the provider publishes several keys");
        }
        if (!signatureValid(jwt, candidates.get(0))) throw new SsoRejected(SsoRejected.Reason.BAD_SIGNATURE);

        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw malformed();
        }
        if (claims.getIssuer() == null || !claims.getIssuer().equals(issuer)) {
            throw new SsoRejected(SsoRejected.Reason.WRONG_ISSUER);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(clientId)) throw new SsoRejected(SsoRejected.Reason.WRONG_AUDIENCE);
        String azp = stringClaim(claims, "azp");
        if ((aud.size() > 1 && azp == null) || (azp != null && !azp.equals(clientId))) {
            throw new SsoRejected(SsoRejected.Reason.WRONG_AUDIENCE, "the ID token was issued to another authorized party");
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty() || sub.length() > 255) throw malformed();
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) throw malformed();
        if (now.isAfter(exp.toInstant().plus(skew))) throw new SsoRejected(SsoRejected.Reason.EXPIRED);
        if (iat.toInstant().isAfter(now.plus(skew))) throw new SsoRejected(SsoRejected.Reason.NOT_YET_VALID);
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) throw new SsoRejected(SsoRejected.Reason.NOT_YET_VALID);
        String tokenNonce = stringClaim(claims, "nonce");
        if (tokenNonce == null || !MessageDigest.isEqual(tokenNonce.getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new SsoRejected(SsoRejected.Reason.NONCE_MISMATCH);
        }
        return claims;
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws SsoRejected {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw malformed();
        }
    }

    private List<JWK> candidates(List<JWK> keys, JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        String kid = header.getKeyID();
        List<JWK> out = new ArrayList<>();
        for (JWK k : keys) {
            if (kid != null && !kid.equals(k.getKeyID())) continue;
            if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) continue;
            if (k.getAlgorithm() != null && !k.getAlgorithm().getName().equals(alg.getName())) continue;
            boolean typeMatches = (JWSAlgorithm.Family.RSA.contains(alg) && k instanceof RSAKey)
                    || (JWSAlgorithm.Family.EC.contains(alg) && k instanceof ECKey);
            if (typeMatches) out.add(k);
        }
        return out;
    }

    private static boolean signatureValid(SignedJWT jwt, JWK key) throws SsoRejected {
        try {
            JWSVerifier verifier;
            if (key instanceof RSAKey) {
                RSAKey rsa = (RSAKey) key;
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new SsoRejected(SsoRejected.Reason.UNKNOWN_KEY, "the provider's RSA key is shorter than 2048 bits");
                }
                verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            } else {
                verifier = new ECDSAVerifier(((ECKey) key).toECPublicKey());
            }
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            return false;
        }
    }

    private String allowedNames() {
        List<String> names = new ArrayList<>();
        for (JWSAlgorithm a : allowed) names.add(a.getName());
        names.sort(null);
        return names.toString();
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static SsoRejected malformed() {
        return new SsoRejected(SsoRejected.Reason.MALFORMED_ID_TOKEN);
    }
}
