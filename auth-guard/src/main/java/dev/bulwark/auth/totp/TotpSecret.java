package dev.bulwark.auth.totp;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * A TOTP shared secret. Store it encrypted (e.g. with bulwark core-crypto) and show it only during enrolment.
 * toString prints a redaction.
 */
public final class TotpSecret {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;

    private TotpSecret(byte[] key) {
        this.key = key;
    }

    /** A random secret of the algorithm's recommended length (20 bytes for SHA1). */
    public static TotpSecret generate(TotpAlgorithm algorithm) {
        byte[] k = new byte[algorithm.secretLength()];
        RANDOM.nextBytes(k);
        return new TotpSecret(k);
    }

    /** Raw key bytes, at least 16 (128 bits, RFC 4226's minimum). */
    public static TotpSecret of(byte[] key) {
        if (key == null || key.length < 16 || key.length > 128) throw new IllegalArgumentException("TOTP secret must be 16..128 bytes");
        return new TotpSecret(key.clone());
    }

    /** Parses the Base32 form (as in an otpauth URI); empty if invalid or shorter than 128 bits. */
    public static Optional<TotpSecret> fromBase32(String base32) {
        return Base32.decode(base32).filter(k -> k.length >= 16 && k.length <= 128).map(TotpSecret::new);
    }

    /** Base32 form for storage (encrypted) or the enrolment URI. */
    public String base32() {
        return Base32.encode(key);
    }

    byte[] key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TotpSecret t && java.security.MessageDigest.isEqual(t.key, key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "TotpSecret[<redacted>]";
    }
}
