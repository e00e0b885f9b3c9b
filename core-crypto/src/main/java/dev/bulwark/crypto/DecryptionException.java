package dev.bulwark.crypto;

import java.security.GeneralSecurityException;

/**
 * A stored value could not be decrypted. {@link #reason()} says which failure it was, as far as that can be
 * known without helping an attacker: a wrong context and a tampered value are indistinguishable by design.
 */
public class DecryptionException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    /** Why decryption failed. */
    public enum Reason {
        /** Not a Bulwark value of the expected kind: wrong prefix, bad base64, or too short. */
        MALFORMED,
        /** The value names a key this keyset does not hold: it comes from another keyset, or its key was destroyed. */
        UNKNOWN_KEY,
        /** The key exists but was disabled after rotation. */
        KEY_DISABLED,
        /** The ciphertext was altered, or it belongs to another context (workspace, table, column, row). */
        AUTHENTICATION_FAILED,
        /** The whole keyset was destroyed (crypto-shredded workspace); the value can never be read again. */
        KEY_DESTROYED
    }

    private final Reason reason;

    public DecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
