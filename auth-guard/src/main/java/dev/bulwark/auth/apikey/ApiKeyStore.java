package dev.bulwark.auth.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where API keys live. Implementations: {@link InMemoryApiKeyStore}, {@link JdbcApiKeyStore}. */
public interface ApiKeyStore {
    void insert(ApiKeyRecord key);

    Optional<ApiKeyRecord> find(String keyId);

    List<ApiKeyRecord> findByOwner(String ownerId);

    void markUsed(String keyId, Instant at);

    /** Sets revokedAt if the key belongs to the owner and is not revoked yet. */
    boolean revoke(String ownerId, String keyId, Instant at);
}
