package dev.bulwark.crypto;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turning encryption on for a live column: while a migration runs the column holds both plaintext and ciphertext.
 * {@link #read} accepts either; {@link Census} counts how much plaintext is left; {@link FieldRewriter#encryptingPlaintext}
 * does the rewrite. Once the census says zero, switch reads back to {@link FieldCipher#decrypt}, which rejects plaintext.
 *
 * <p>Caveat: a plaintext value that happens to start with {@value FieldCipher#PREFIX} is taken for ciphertext and fails
 * to decrypt (reported, never silently returned).
 */
public final class PlaintextMigration {
    private final FieldCipher cipher;

    public PlaintextMigration(FieldCipher cipher) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
    }

    /** The plaintext of a stored value that may be either ciphertext (decrypted) or not yet migrated plaintext. */
    public String read(String stored, FieldContext context) throws DecryptionException {
        if (stored == null) return null;
        return FieldCipher.isCiphertext(stored) ? cipher.decrypt(stored, context) : stored;
    }

    /** Counts stored values by state; feed it every value of a column. */
    public Census census() {
        return new Census(cipher);
    }

    /** Tally of a column's values: plaintext left, ciphertext per key id, and values that look broken. */
    public static final class Census {
        private final FieldCipher cipher;
        private long plaintext;
        private long nulls;
        private long malformed;
        private final Map<String, Long> byKey = new TreeMap<>();

        Census(FieldCipher cipher) {
            this.cipher = cipher;
        }

        public Census add(String stored) {
            if (stored == null) {
                nulls++;
            } else if (!FieldCipher.isCiphertext(stored)) {
                plaintext++;
            } else {
                try {
                    byKey.merge(Integer.toUnsignedString(cipher.keyIdOf(stored)), 1L, Long::sum);
                } catch (DecryptionException e) {
                    malformed++;
                }
            }
            return this;
        }

        public long plaintextRemaining() { return plaintext; }
        public long nulls() { return nulls; }
        public long malformed() { return malformed; }
        public long encrypted() { return byKey.values().stream().mapToLong(Long::longValue).sum(); }
        /** Encrypted values per key id (unsigned decimal). */
        public Map<String, Long> encryptedByKeyId() { return Map.copyOf(byKey); }

        @Override
        public String toString() {
            return "Census[plaintext=" + plaintext + " encrypted=" + encrypted() + " byKey=" + byKey
                    + " malformed=" + malformed + " nulls=" + nulls + "]";
        }
    }
}
