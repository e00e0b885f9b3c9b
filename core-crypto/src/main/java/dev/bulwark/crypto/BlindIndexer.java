package dev.bulwark.crypto;

/** Creates {@link BlindIndex}es for columns; every column gets its own key derived from the blind-index keyset. */
public final class BlindIndexer {
    /** Default index length: 16 bytes (128 bits) of HMAC-SHA256. */
    public static final int DEFAULT_BYTES = 16;

    private final Keyring keyring;
    private final KeysetName keyset;

    BlindIndexer(Keyring keyring, KeysetName keyset) {
        this.keyring = keyring;
        this.keyset = keyset;
    }

    /** An index of {@link #DEFAULT_BYTES} bytes. */
    public BlindIndex column(ColumnContext column, Normalizer normalizer) {
        return column(column, normalizer, DEFAULT_BYTES);
    }

    /**
     * @param bytes index length, 4..32. Shorter indexes collide more often (more false positives to filter after
     *              decryption) and so leak less about equality; 16 bytes makes collisions negligible.
     */
    public BlindIndex column(ColumnContext column, Normalizer normalizer, int bytes) {
        if (bytes < 4 || bytes > 32) throw new IllegalArgumentException("blind index length must be 4..32 bytes");
        if (normalizer == null) throw new IllegalArgumentException("normalizer must not be null");
        return new BlindIndex(keyring, keyset, column, normalizer, bytes);
    }
}
