package dev.bulwark.links;

import com.nimbusds.jose.jwk.OctetSequenceKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One HMAC-SHA256 link-signing key and the {@code kid} that names it in token headers.
 * The key bytes never leave this object; {@link #toString()} prints only the kid.
 */
public final class LinkKey {
    /** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash output. */
    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kid;
    private final SecretKeySpec key;
    private final String headerSegment;
    // An initialised Mac per thread: Mac.getInstance + init costs more than the HMAC of a short token.
    private final ThreadLocal<Mac> macs;

    private LinkKey(String kid, byte[] keyBytes) {
        this.kid = kid;
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.headerSegment = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}").getBytes(StandardCharsets.US_ASCII));
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A fresh random 256-bit key. */
    public static LinkKey generate(String kid) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        try {
            return of(kid, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * A key supplied by the caller (e.g. derived from core-crypto's link-signing keyset). The bytes are copied.
     *
     * @param kid      the key id written into token headers: letters, digits, '.', '_', '-', at most 64
     * @param keyBytes at least 32 bytes of secret key material
     */
    public static LinkKey of(String kid, byte[] keyBytes) {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(keyBytes, "keyBytes");
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid must match " + KID.pattern());
        }
        if (keyBytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("an HS256 link key needs at least " + MIN_KEY_BYTES
                    + " bytes, got " + keyBytes.length);
        }
        return new LinkKey(kid, keyBytes.clone());
    }

    /**
     * A key from a JSON Web Key of type {@code oct} (RFC 7517). Its {@code kid} is used when present, otherwise
     * the JWK's RFC 7638 thumbprint becomes the kid.
     *
     * @throws IllegalArgumentException if the text is not an {@code oct} JWK with a long enough key (the message
     *                                  never contains key material)
     */
    public static LinkKey fromJwk(String jwkJson) {
        Objects.requireNonNull(jwkJson, "jwkJson");
        OctetSequenceKey jwk;
        try {
            jwk = OctetSequenceKey.parse(jwkJson);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalArgumentException("not a JSON Web Key of type oct");
        }
        String kid = jwk.getKeyID();
        if (kid == null) {
            try {
                kid = jwk.computeThumbprint().toString();
            } catch (Exception e) {
                throw new IllegalArgumentException("cannot compute the JWK thumbprint");
            }
        }
        byte[] bytes = jwk.toByteArray();
        try {
            return of(kid, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    public String kid() {
        return kid;
    }

    /** The base64url header segment this key writes: {@code {"alg":"HS256","kid":"..."}}. */
    String headerSegment() {
        return headerSegment;
    }

    Mac mac() {
        Mac mac = macs.get();
        mac.reset();
        return mac;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "LinkKey[kid=" + kid + ", key=<redacted>]";
    }
}
