package dev.bulwark.crypto;

import com.google.crypto.tink.Mac;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A blind index for one column: {@code HMAC-SHA256(k_col, normalize(value))} truncated, where {@code k_col} is derived
 * from a blind-index key and the column (workspace, table, column), so equal values in two columns or two workspaces
 * have unrelated indexes. Text form: {@code bi1.<key id hex>.<base64url>}.
 *
 * <p><b>Leakage:</b> rows with equal (normalised) values have equal indexes, so a reader of the table learns equality
 * and frequency within the column, and can confirm a guessed value only with the key. Truncation adds collisions;
 * always compare the decrypted value after a lookup.
 *
 * <p><b>Rotation:</b> {@link #lookupValues} returns the index under every enabled key, so queries keep finding rows
 * indexed before a rotation; {@link BlindIndexRebuild} moves rows to the primary key online.
 */
public final class BlindIndex {
    public static final String PREFIX = "bi1.";
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();

    private final Keyring keyring;
    private final KeysetName keyset;
    private final ColumnContext column;
    private final Normalizer normalizer;
    private final int bytes;
    private final String derivationId;

    BlindIndex(Keyring keyring, KeysetName keyset, ColumnContext column, Normalizer normalizer, int bytes) {
        this.keyring = keyring;
        this.keyset = keyset;
        this.column = column;
        this.normalizer = normalizer;
        this.bytes = bytes;
        this.derivationId = column.workspaceId() + '\u0000' + column.table() + '\u0000' + column.column();
    }

    /** The index under the primary key: store this next to the encrypted value. */
    public String compute(String value) {
        LoadedKeyset k = alive();
        return compute(k, k.primaryId, value);
    }

    /** The indexes under every enabled key, primary first; query with {@code IN (...)}. */
    public List<String> lookupValues(String value) {
        LoadedKeyset k = alive();
        List<String> out = new ArrayList<>();
        for (int id : k.enabledKeyIds()) out.add(compute(k, id, value));
        return out;
    }

    /** Whether a stored index is under the current primary key. Malformed input is "not current". */
    public boolean isCurrent(String index) {
        LoadedKeyset k = alive();
        return index != null && index.startsWith(PREFIX + hex(k.primaryId) + ".");
    }

    private String compute(LoadedKeyset k, int keyId, String value) {
        if (value == null) throw new IllegalArgumentException("value must not be null");
        byte[] colKey = (byte[]) k.derived.computeIfAbsent(keyId + "\u0000" + derivationId, d -> derive(k, keyId));
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(colKey, "HmacSHA256"));
            byte[] full = mac.doFinal(normalizer.normalize(value).getBytes(StandardCharsets.UTF_8));
            return PREFIX + hex(keyId) + "." + ENC.encodeToString(Arrays.copyOf(full, bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private byte[] derive(LoadedKeyset k, int keyId) {
        try {
            return k.primitiveForKey(keyId, Mac.class).computeMac(column.encode("bulwark.blind-index.v1"));
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION, "cannot derive a column key from " + keyset.id(), e);
        }
    }

    private LoadedKeyset alive() {
        LoadedKeyset k = keyring.load(keyset);
        Keyring.requireAlive(k);
        return k;
    }

    private static String hex(int keyId) {
        return String.format("%08x", keyId);
    }

    @Override
    public String toString() {
        return "BlindIndex[" + column.table() + "." + column.column() + ", " + bytes + " bytes]";
    }
}
