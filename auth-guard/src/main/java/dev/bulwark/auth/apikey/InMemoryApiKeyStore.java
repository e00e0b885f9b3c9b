package dev.bulwark.auth.apikey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys in memory (one node, tests). */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final ConcurrentHashMap<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();

    @Override
    public void insert(ApiKeyRecord key) {
        if (keys.putIfAbsent(key.keyId(), key) != null) throw new IllegalStateException("duplicate key id");
    }

    @Override
    public Optional<ApiKeyRecord> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    @Override
    public List<ApiKeyRecord> findByOwner(String ownerId) {
        return keys.values().stream().filter(k -> k.ownerId().equals(ownerId))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).thenComparing(ApiKeyRecord::keyId)).toList();
    }

    @Override
    public void markUsed(String keyId, Instant at) {
        keys.computeIfPresent(keyId, (k, r) -> new ApiKeyRecord(r.keyId(), r.ownerId(), r.secretHash(), r.last4(), r.scope(), r.label(),
                r.createdAt(), r.expiresAt(), at, r.revokedAt()));
    }

    @Override
    public boolean revoke(String ownerId, String keyId, Instant at) {
        boolean[] done = {false};
        keys.computeIfPresent(keyId, (k, r) -> {
            if (!r.ownerId().equals(ownerId) || r.revokedAt() != null) return r;
            done[0] = true;
            return new ApiKeyRecord(r.keyId(), r.ownerId(), r.secretHash(), r.last4(), r.scope(), r.label(),
                    r.createdAt(), r.expiresAt(), r.lastUsedAt(), at);
        });
        return done[0];
    }
}
