package dev.bulwark.crypto;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;

import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An unwrapped keyset with its primitives, cached by the keyring for at most its maximum age. */
final class LoadedKeyset {
    final KeysetName name;
    final KeysetHandle handle; // null when destroyed
    final long version;
    final long loadedAtNanos;
    final int primaryId;
    final Map<Integer, KeyStatus> statuses;
    private final Map<Class<?>, Object> primitives = new ConcurrentHashMap<>();
    private final Map<Integer, Map<Class<?>, Object>> perKey = new ConcurrentHashMap<>();
    final Map<String, Object> derived = new ConcurrentHashMap<>();

    LoadedKeyset(KeysetName name, KeysetHandle handle, long version, long loadedAtNanos) {
        this.name = name;
        this.handle = handle;
        this.version = version;
        this.loadedAtNanos = loadedAtNanos;
        Map<Integer, KeyStatus> s = new HashMap<>();
        int primary = 0;
        if (handle != null) {
            for (int i = 0; i < handle.size(); i++) {
                KeysetHandle.Entry e = handle.getAt(i);
                s.put(e.getId(), e.getStatus());
                if (e.isPrimary()) primary = e.getId();
            }
        }
        this.statuses = Map.copyOf(s);
        this.primaryId = primary;
    }

    boolean destroyed() {
        return handle == null;
    }

    <P> P primitive(Class<P> type) {
        Object p = primitives.computeIfAbsent(type, t -> {
            try {
                return handle.getPrimitive(RegistryConfiguration.get(), t);
            } catch (GeneralSecurityException e) {
                throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                        "keyset " + name.id() + " does not provide " + t.getSimpleName());
            }
        });
        return type.cast(p);
    }

    /** A primitive using only the key {@code keyId}; used where every active key must be tried (lookups). */
    <P> P primitiveForKey(int keyId, Class<P> type) {
        Object p = perKey.computeIfAbsent(keyId, k -> new ConcurrentHashMap<>()).computeIfAbsent(type, t -> {
            try {
                for (int i = 0; i < handle.size(); i++) {
                    KeysetHandle.Entry e = handle.getAt(i);
                    if (e.getId() == keyId) return TinkSupport.single(e).getPrimitive(RegistryConfiguration.get(), t);
                }
            } catch (GeneralSecurityException e) {
                throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                        "keyset " + name.id() + " key " + Integer.toUnsignedString(keyId) + " does not provide " + t.getSimpleName());
            }
            throw new KeyringException(KeyringException.Reason.INVALID_KEY_OPERATION,
                    "keyset " + name.id() + " has no key " + Integer.toUnsignedString(keyId));
        });
        return type.cast(p);
    }

    /** Enabled key ids, primary first. */
    java.util.List<Integer> enabledKeyIds() {
        java.util.List<Integer> ids = new java.util.ArrayList<>();
        ids.add(primaryId);
        statuses.forEach((id, st) -> {
            if (st == KeyStatus.ENABLED && id != primaryId) ids.add(id);
        });
        return ids;
    }
}
