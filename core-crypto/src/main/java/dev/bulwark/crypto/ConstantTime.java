package dev.bulwark.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Comparisons of secrets whose running time does not depend on where the inputs differ. */
public final class ConstantTime {
    private ConstantTime() {}

    /**
     * Compares two byte arrays in time independent of their contents. {@code null} equals only {@code null}.
     * The lengths are not hidden; use {@link #equalsHidingLength} when the length itself is secret.
     */
    public static boolean equals(byte[] a, byte[] b) {
        if (a == null || b == null) return a == b;
        return MessageDigest.isEqual(a, b);
    }

    /** Compares the UTF-8 encodings of two strings; time depends on neither content nor length. */
    public static boolean equals(CharSequence a, CharSequence b) {
        if (a == null || b == null) return a == b;
        return equalsHidingLength(a.toString().getBytes(StandardCharsets.UTF_8), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compares SHA-256 digests of both inputs first (fixed length, so time does not reveal the secret's length),
     * then the inputs themselves, so distinct inputs never compare equal through a digest collision.
     */
    public static boolean equalsHidingLength(byte[] a, byte[] b) {
        if (a == null || b == null) return a == b;
        MessageDigest sha = sha256();
        byte[] da = sha.digest(a);
        byte[] db = sha.digest(b);
        boolean digestsEqual = MessageDigest.isEqual(da, db);
        boolean bytesEqual = MessageDigest.isEqual(a, b);
        return digestsEqual & bytesEqual;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
