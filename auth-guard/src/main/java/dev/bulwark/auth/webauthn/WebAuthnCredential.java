package dev.bulwark.auth.webauthn;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered security key (public key credential) of a user.
 *
 * @param credentialId        the credential id, base64url without padding (what the browser calls {@code id})
 * @param userId              the owner
 * @param name                the user's label for the key
 * @param attestedCredential  base64url of the authenticator's attested credential data (AAGUID, id, COSE public key)
 * @param signCount           the highest signature counter seen
 * @param userVerified        whether the registration was user-verified (PIN / biometric)
 * @param createdAt           when it was registered
 * @param lastUsedAt          when it last signed in, or null
 */
public record WebAuthnCredential(String credentialId, String userId, String name, String attestedCredential,
                                 long signCount, boolean userVerified, Instant createdAt, Instant lastUsedAt) {
    public WebAuthnCredential {
        Objects.requireNonNull(credentialId);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(attestedCredential);
        Objects.requireNonNull(createdAt);
    }

    /** A short non-secret handle for lists and audit (first 8 characters of the id). */
    public String shortId() {
        return credentialId.substring(0, Math.min(8, credentialId.length()));
    }

    WebAuthnCredential withUse(long newCount, Instant at) {
        return new WebAuthnCredential(credentialId, userId, name, attestedCredential, newCount, userVerified, createdAt, at);
    }

    /** Redacted: the credential id and key are identifiers an attacker could use to probe for the user. */
    @Override
    public String toString() {
        return "WebAuthnCredential[" + shortId() + "…, user=" + userId + ", name=" + name + ", signCount=" + signCount + "]";
    }
}
