package dev.bulwark.links;

import java.time.Instant;

/**
 * A link token that passed every check: signature, algorithm, audience, purpose, workspace, lifetime, expiry,
 * revocation and (for single-use purposes) first use. Only {@link LinkVerifier} creates one, so a method that
 * takes a {@code VerifiedLink} cannot be handed an unchecked token.
 */
public final class VerifiedLink {
    private final LinkPurpose purpose;
    private final String workspaceId;
    private final String resourceId;
    private final String tokenId;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final String keyId;
    private final long resourceVersion;

    VerifiedLink(LinkPurpose purpose, String workspaceId, String resourceId, String tokenId, Instant issuedAt,
                 Instant expiresAt, String keyId, long resourceVersion) {
        this.purpose = purpose;
        this.workspaceId = workspaceId;
        this.resourceId = resourceId;
        this.tokenId = tokenId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.keyId = keyId;
        this.resourceVersion = resourceVersion;
    }

    public LinkPurpose purpose() {
        return purpose;
    }

    public String workspaceId() {
        return workspaceId;
    }

    public String resourceId() {
        return resourceId;
    }

    /** The token's unique id ({@code jti}); for single-use purposes, the id recorded as used. */
    public String tokenId() {
        return tokenId;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** The kid of the key that signed it (useful to see when old keys stop being used). */
    public String keyId() {
        return keyId;
    }

    /** The resource's revocation version the token was issued under (0 without revocation). */
    public long resourceVersion() {
        return resourceVersion;
    }

    @Override
    public String toString() {
        return "VerifiedLink[" + purpose.name() + ", workspace=" + workspaceId + ", resource=" + resourceId
                + ", expires=" + expiresAt + "]";
    }
}
