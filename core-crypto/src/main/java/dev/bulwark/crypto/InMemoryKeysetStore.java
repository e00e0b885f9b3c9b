package dev.bulwark.crypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Keysets in memory: single node, tests. Lost when the process stops. */
public final class InMemoryKeysetStore implements KeysetStore {
    private final ConcurrentMap<String, StoredKeyset> rows = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredKeyset> find(String name) {
        StoredKeyset s = rows.get(name);
        return s == null ? Optional.empty() : Optional.of(copy(s));
    }

    @Override
    public boolean insert(String name, byte[] encryptedKeyset) {
        return rows.putIfAbsent(name, new StoredKeyset(name, encryptedKeyset.clone(), 1, 0)) == null;
    }

    @Override
    public boolean update(String name, byte[] encryptedKeyset, long expectedVersion) {
        boolean[] done = {false};
        rows.computeIfPresent(name, (k, old) -> {
            if (old.destroyed() || old.version() != expectedVersion) return old;
            done[0] = true;
            return new StoredKeyset(name, encryptedKeyset.clone(), old.version() + 1, 0);
        });
        return done[0];
    }

    @Override
    public boolean markDestroyed(String name, long atEpochMillis) {
        return rows.computeIfPresent(name, (k, old) -> new StoredKeyset(name, null, old.version() + 1, atEpochMillis)) != null;
    }

    @Override
    public List<String> names() {
        return new ArrayList<>(rows.keySet());
    }

    private static StoredKeyset copy(StoredKeyset s) {
        return new StoredKeyset(s.name(), s.encryptedKeyset() == null ? null : s.encryptedKeyset().clone(),
                s.version(), s.destroyedAtEpochMillis());
    }
}
