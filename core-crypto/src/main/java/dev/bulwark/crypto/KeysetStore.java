package dev.bulwark.crypto;

import java.util.List;
import java.util.Optional;

/**
 * Where encrypted keysets live. Implementations store opaque bytes (already encrypted under the master key) and
 * must make {@link #update} a compare-and-set on the version so two nodes rotating at once cannot lose a key.
 */
public interface KeysetStore {

    /** One stored keyset. {@code encryptedKeyset} is {@code null} once the keyset was destroyed. */
    record StoredKeyset(String name, byte[] encryptedKeyset, long version, long destroyedAtEpochMillis) {
        public boolean destroyed() {
            return encryptedKeyset == null;
        }

        @Override
        public String toString() {
            return "StoredKeyset[" + name + ", v" + version + (destroyed() ? ", destroyed" : "") + "]";
        }
    }

    Optional<StoredKeyset> find(String name);

    /** Stores a new keyset at version 1. Returns {@code false} if the name exists (even destroyed). */
    boolean insert(String name, byte[] encryptedKeyset);

    /** Replaces the keyset only if its version is still {@code expectedVersion}; bumps the version. */
    boolean update(String name, byte[] encryptedKeyset, long expectedVersion);

    /**
     * Overwrites the keyset with nothing and records when: the name stays taken so that a destroyed workspace key
     * is reported as destroyed, never recreated under the same name. Returns {@code false} if absent.
     */
    boolean markDestroyed(String name, long atEpochMillis);

    /** Every stored name, destroyed ones included. */
    List<String> names();
}
