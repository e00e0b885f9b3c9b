package dev.bulwark.upload;

import java.time.Instant;
import java.util.Objects;

/**
 * What the application knows about a stored file. The display name is the validated original name: show it, never
 * use it as a path. {@code uploadedBy} is whatever principal id the application passed (may be null).
 */
public record StoredUpload(BlobId id, String workspaceId, String purpose, String contentType, long size,
                           String displayName, String uploadedBy, Instant createdAt) {
    public StoredUpload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
