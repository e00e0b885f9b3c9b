package dev.bulwark.crypto;

import java.util.List;

/** Key ids and their states in one keyset. Never contains key material. */
public record KeysetInfo(String keysetId, boolean destroyed, int primaryKeyId, List<Key> keys) {

    public KeysetInfo {
        keys = List.copyOf(keys);
    }

    /** One key: its id as carried in ciphertexts, whether it is enabled, whether it is the primary. */
    public record Key(int id, boolean enabled, boolean primary) {
        @Override
        public String toString() {
            return Integer.toUnsignedString(id) + (primary ? " primary" : enabled ? " enabled" : " disabled");
        }
    }
}
