package dev.bulwark.crypto;

/**
 * One row for {@link BlindIndexRebuild}: its cursor, the value to index (the caller decrypts it from its encrypted
 * column) and the index currently stored.
 */
public record IndexedRow(String cursor, String value, String storedIndex) {
    @Override
    public String toString() {
        return "IndexedRow[" + cursor + ", value redacted]";
    }
}
