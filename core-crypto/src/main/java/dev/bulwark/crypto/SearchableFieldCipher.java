package dev.bulwark.crypto;

import com.google.crypto.tink.DeterministicAead;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic encryption (AES-SIV, Tink {@link DeterministicAead}) for columns that need exact-match queries
 * while staying decryptable. Bound to a {@link ColumnContext} (workspace, table, column), not to a row.
 *
 * <p><b>Leakage:</b> equal plaintexts in the same column give equal ciphertexts, so anyone who reads the table learns
 * which rows share a value and how often each value occurs (frequency analysis on low-entropy columns). Lengths leak
 * too. Use {@link FieldCipher} for anything that does not need equality search, and prefer a {@link BlindIndex}
 * when the column itself can be randomised.
 */
public final class SearchableFieldCipher {
    /** Version prefix of every value this class writes. */
    public static final String PREFIX = "bd1.";
    private static final String WHAT = "deterministically encrypted value";

    private final Keyring keyring;
    private final KeysetName keyset;

    SearchableFieldCipher(Keyring keyring, KeysetName keyset) {
        this.keyring = keyring;
        this.keyset = keyset;
    }

    public String encrypt(String plaintext, ColumnContext column) {
        if (plaintext == null) throw new IllegalArgumentException("plaintext must not be null");
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        try {
            byte[] ct = k.primitive(DeterministicAead.class).encryptDeterministically(
                    plaintext.getBytes(StandardCharsets.UTF_8), column.encode("bulwark.daead.v1"));
            return TextCodec.encode(PREFIX, ct);
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "encryption failed under " + keyset.id(), e);
        }
    }

    public String decrypt(String stored, ColumnContext column) throws DecryptionException {
        byte[] raw = TextCodec.decode(PREFIX, stored, WHAT);
        LoadedKeyset k = keyring.load(keyset);
        if (k.destroyed()) throw new KeyDestroyedException(keyset);
        try {
            return new String(k.primitive(DeterministicAead.class).decryptDeterministically(raw, column.encode("bulwark.daead.v1")),
                    StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw TextCodec.classify(k, raw, WHAT);
        }
    }

    /**
     * The stored values to search for: one per enabled key, primary first. Query with {@code IN (...)} so rows written
     * before a rotation are still found until they are re-encrypted.
     */
    public List<String> lookupValues(String plaintext, ColumnContext column) {
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        List<String> out = new ArrayList<>();
        byte[] pt = plaintext.getBytes(StandardCharsets.UTF_8);
        byte[] ad = column.encode("bulwark.daead.v1");
        try {
            for (int id : k.enabledKeyIds()) {
                out.add(TextCodec.encode(PREFIX, k.primitiveForKey(id, DeterministicAead.class).encryptDeterministically(pt, ad)));
            }
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "encryption failed under " + keyset.id(), e);
        }
        return out;
    }

    public boolean needsReencryption(String stored) throws DecryptionException {
        LoadedKeyset k = keyring.load(keyset);
        if (k.destroyed()) throw new KeyDestroyedException(keyset);
        return TextCodec.keyId(TextCodec.decode(PREFIX, stored, WHAT)) != k.primaryId;
    }

    @Override
    public String toString() {
        return "SearchableFieldCipher[" + keyset.id() + "]";
    }
}
