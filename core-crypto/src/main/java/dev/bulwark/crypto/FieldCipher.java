package dev.bulwark.crypto;

import com.google.crypto.tink.Aead;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Encrypts field values with AES-256-GCM (Tink {@link Aead}) bound to a {@link FieldContext}. The stored form is
 * text: {@code bw1.} followed by unpadded base64url of Tink's output, which starts with the id of the key used, so
 * rotation can find every value still under an old key. Randomised: equal plaintexts give different values.
 */
public final class FieldCipher {
    /** Version prefix of every value this class writes. */
    public static final String PREFIX = "bw1.";
    private static final String WHAT = "encrypted field value";

    private final Keyring keyring;
    private final KeysetName keyset;

    FieldCipher(Keyring keyring, KeysetName keyset) {
        this.keyring = keyring;
        this.keyset = keyset;
    }

    public KeysetName keyset() {
        return keyset;
    }

    public String encrypt(String plaintext, FieldContext context) {
        if (plaintext == null) throw new IllegalArgumentException("plaintext must not be null (store SQL NULL instead)");
        return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
    }

    public String encrypt(byte[] plaintext, FieldContext context) {
        if (plaintext == null) throw new IllegalArgumentException("plaintext must not be null");
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        try {
            return TextCodec.encode(PREFIX, k.primitive(Aead.class).encrypt(plaintext, context.associatedData()));
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "encryption failed under " + keyset.id(), e);
        }
    }

    /** Decrypts a value written by {@link #encrypt(String, FieldContext)}. */
    public String decrypt(String stored, FieldContext context) throws DecryptionException {
        byte[] plain = decryptBytes(stored, context);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(plain)).toString();
        } catch (CharacterCodingException e) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, "decrypted value is not UTF-8 text; use decryptBytes");
        }
    }

    public byte[] decryptBytes(String stored, FieldContext context) throws DecryptionException {
        byte[] raw = TextCodec.decode(PREFIX, stored, WHAT);
        LoadedKeyset k = keyring.load(keyset);
        if (k.destroyed()) throw new KeyDestroyedException(keyset);
        try {
            return k.primitive(Aead.class).decrypt(raw, context.associatedData());
        } catch (GeneralSecurityException e) {
            throw TextCodec.classify(k, raw, WHAT);
        }
    }

    /** The id of the key a stored value is under. */
    public int keyIdOf(String stored) throws DecryptionException {
        return TextCodec.keyId(TextCodec.decode(PREFIX, stored, WHAT));
    }

    /** True if the value is under a key other than the current primary (so rotation should rewrite it). */
    public boolean needsReencryption(String stored) throws DecryptionException {
        LoadedKeyset k = keyring.load(keyset);
        if (k.destroyed()) throw new KeyDestroyedException(keyset);
        return keyIdOf(stored) != k.primaryId;
    }

    /** Decrypts and encrypts again under the primary key, in memory; the plaintext is never returned or stored. */
    public String reencrypt(String stored, FieldContext context) throws DecryptionException {
        byte[] plain = decryptBytes(stored, context);
        try {
            return encrypt(plain, context);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    /** Whether a stored text has this class's format (it may still fail to decrypt). */
    public static boolean isCiphertext(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    int primaryKeyId() {
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        return k.primaryId;
    }

    @Override
    public String toString() {
        return "FieldCipher[" + keyset.id() + "]";
    }
}
