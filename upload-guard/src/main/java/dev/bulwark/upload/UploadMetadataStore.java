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

    /**
     * The files {@code uploadedBy} keeps in a workspace for {@code purpose}, and their total size. The default walks
     * {@link #listWorkspace}; a store backed by a database should answer with one aggregate query instead.
     */
    default UploadUsage usage(String workspaceId, String uploadedBy, String purpose) {
        long files = 0;
        long bytes = 0;
        for (UploadRecord r : listWorkspace(workspaceId)) {
            if (r.workspaceId().equals(workspaceId) && uploadedBy.equals(r.uploadedBy()) && purpose.equals(r.purpose())) {
                files++;
                bytes += r.size();
            }
        }
        return new UploadUsage(files, bytes);
    }

    /** Forgets a blob; true if it was recorded. */
    boolean delete(BlobId id);

    /** Forgets every blob of a workspace; returns how many. */
    int deleteWorkspace(String workspaceId);
}
