package dev.bulwark.auth.apikey;

import java.time.Instant;

/**
 * A stored API key: the SHA-256 of the full key ({@code secretHash}, hex) and its last 4 characters; never the key.
 * {@code expiresAt}, {@code lastUsedAt} and {@code revokedAt} may be null.
 */
public record ApiKeyRecord(String keyId, String ownerId, String secretHash, String last4, ApiKeyScope scope, String label,
                           Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    @Override
    public String toString() {
        return "ApiKeyRecord[keyId=" + keyId + ", ownerId=" + ownerId + ", scope=" + scope + ", secretHash=<redacted>]";
    }
}
