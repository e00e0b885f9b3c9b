package dev.bulwark.upload;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored file's metadata as a {@link UploadMetadataStore} keeps it. The display name is encrypted (core-crypto
 * field encryption under the workspace's data keys, bound to this row), so shredding a workspace's keys also makes
 * its file names unreadable.
 */
public record UploadRecord(BlobId id, String workspaceId, String purpose, String contentType, long size,
                           String encryptedDisplayName, String uploadedBy, Instant createdAt) {
    public UploadRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(encryptedDisplayName, "encryptedDisplayName");
        Objects.requireNonNull(createdAt, "createdAt");
        if (size < 0) throw new IllegalArgumentException("size must not be negative");
    }
}
