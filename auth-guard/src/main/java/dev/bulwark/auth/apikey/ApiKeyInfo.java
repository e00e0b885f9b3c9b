package dev.bulwark.auth.apikey;

import java.time.Instant;

/**
 * What may be shown about a key after its creation: never the key, only its last 4 characters.
 * {@code expiresAt}, {@code lastUsedAt} and {@code revokedAt} may be null.
 */
public record ApiKeyInfo(String keyId, String ownerId, String label, ApiKeyScope scope, String last4, Instant createdAt,
                         Instant expiresAt, Instant lastUsedAt, Instant revokedAt, boolean dueForRotation) {

    /** Display form, e.g. {@code ••••a1b2}. */
    public String masked() {
        return "\u2022\u2022\u2022\u2022" + last4;
    }
}
