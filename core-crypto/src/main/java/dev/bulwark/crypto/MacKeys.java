package dev.bulwark.crypto;

import com.google.crypto.tink.Mac;

import java.security.GeneralSecurityException;
import java.util.List;

/**
 * HMAC-SHA256 keys of a signing keyset (link signing, audit chain), addressed by key id so tokens can carry a
 * {@code kid}. Tags are plain HMAC-SHA256 (32 bytes), i.e. exactly JWS HS256 over the signing input. Key bytes never
 * leave the keyring.
 */
public final class MacKeys {
    private final Keyring keyring;
    private final KeysetName keyset;

    MacKeys(Keyring keyring, KeysetName keyset) {
        this.keyring = keyring;
        this.keyset = keyset;
    }

    /** The key to sign with now. */
    public int primaryKeyId() {
        return alive().primaryId;
    }

    /** Keys whose tags are accepted (enabled), primary first. */
    public List<Integer> activeKeyIds() {
        return alive().enabledKeyIds();
    }

    /**
     * {@code HMAC-SHA256(key, data)} under every enabled key, primary first, all from one read of the keyset: a key
     * derived per key id (e.g. a pepper or a link key) then never mixes a primary and a key list from two versions of
     * the keyset (a rotation or reload in between).
     */
    public java.util.LinkedHashMap<Integer, byte[]> tagUnderEachActiveKey(byte[] data) {
        LoadedKeyset k = alive();
        java.util.LinkedHashMap<Integer, byte[]> out = new java.util.LinkedHashMap<>();
        for (int id : k.enabledKeyIds()) {
            try {
                out.put(id, k.primitiveForKey(id, Mac.class).computeMac(data));
            } catch (GeneralSecurityException e) {
                throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "MAC failed under " + keyset.id(), e);
            }
        }
        return out;
    }

    /** {@code HMAC-SHA256(key, data)} under an enabled key. */
    public byte[] tag(int keyId, byte[] data) {
        LoadedKeyset k = alive();
        requireEnabled(k, keyId);
        try {
            return k.primitiveForKey(keyId, Mac.class).computeMac(data);
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "MAC failed under " + keyset.id(), e);
        }
    }

    /** Constant-time check of a tag; false for unknown or disabled keys. */
    public boolean verify(int keyId, byte[] data, byte[] tag) {
        LoadedKeyset k = alive();
        if (tag == null || data == null || !k.enabledKeyIds().contains(keyId)) return false;
        try {
            k.primitiveForKey(keyId, Mac.class).verifyMac(tag, data);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The key id as text, e.g. for a JWS {@code kid} header. */
    public static String kid(int keyId) {
        return Integer.toUnsignedString(keyId);
    }

    private void requireEnabled(LoadedKeyset k, int keyId) {
        if (!k.enabledKeyIds().contains(keyId)) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                    "key " + kid(keyId) + " is not an enabled key of " + keyset.id());
        }
    }

    private LoadedKeyset alive() {
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        return k;
    }

    @Override
    public String toString() {
        return "MacKeys[" + keyset.id() + "]";
    }
}
