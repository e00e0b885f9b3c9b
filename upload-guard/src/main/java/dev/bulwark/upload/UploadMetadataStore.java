package dev.bulwark.upload;

import java.util.List;
import java.util.Optional;

/**
 * Remembers which blobs exist, whose they are and what they hold. Implementations: {@link InMemoryUploadMetadataStore}
 * (one node, tests) and {@link JdbcUploadMetadataStore} (PostgreSQL or H2, table {@code bulwark_upload}).
 */
public interface UploadMetadataStore {
    /** Records a new blob. Fails if the id is already recorded. */
    void insert(UploadRecord record);

    Optional<UploadRecord> find(BlobId id);

    /** A workspace's uploads, oldest first. */
    List<UploadRecord> listWorkspace(String workspaceId);

    /** Forgets a blob; true if it was recorded. */
    boolean delete(BlobId id);

    /** Forgets every blob of a workspace; returns how many. */
    int deleteWorkspace(String workspaceId);
}
