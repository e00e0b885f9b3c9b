package dev.bulwark.crypto;

/** The keyset a value needs was destroyed on purpose (crypto-shredding); the value is permanently unreadable. */
public final class KeyDestroyedException extends DecryptionException {
    private static final long serialVersionUID = 1L;
    private final String keysetId;

    public KeyDestroyedException(KeysetName name) {
        super(Reason.KEY_DESTROYED, "keyset " + name.id() + " was destroyed; values under it cannot be decrypted");
        this.keysetId = name.id();
    }

    public String keysetId() {
        return keysetId;
    }
}
