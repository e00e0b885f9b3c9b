package dev.bulwark.crypto;

/** A keyring could not do what was asked: configuration, storage or key-lifecycle problems. Never carries key material. */
public final class KeyringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Machine-readable cause. */
    public enum Reason {
        /** The master key is not configured or could not be read. */
        MASTER_KEY_UNAVAILABLE,
        /** The master key file is readable by group or others. */
        INSECURE_KEY_FILE,
        /** Stored keysets exist but do not decrypt under this master key. */
        WRONG_MASTER_KEY,
        /** A keyset that is needed does not exist (and will not be created silently). */
        MISSING_KEYSET,
        /** The keyset was destroyed (crypto-shredding). */
        KEYSET_DESTROYED,
        /** The keyset already exists. */
        KEYSET_EXISTS,
        /** Another process changed the keyset at the same time; reload and retry. */
        CONCURRENT_MODIFICATION,
        /** A key cannot be disabled or destroyed while values may still need it. */
        KEY_STILL_IN_USE,
        /** The key id is not in the keyset, or is the primary. */
        INVALID_KEY_OPERATION,
        /** The keyset store failed. */
        STORAGE
    }

    private final Reason reason;

    public KeyringException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeyringException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
