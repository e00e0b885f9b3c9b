-- Bulwark upload-guard metadata store. Portable SQL: runs unchanged on PostgreSQL and H2.

-- One row per stored blob. The file itself is encrypted on disk under <dataDir>/<workspace folder>/<blob_id>;
-- display_name holds the original file name encrypted under the workspace's data keys (bw1... ciphertext).
CREATE TABLE IF NOT EXISTS bulwark_upload (
    blob_id      VARCHAR(32)   NOT NULL PRIMARY KEY,
    workspace_id VARCHAR(128)  NOT NULL,
    purpose      VARCHAR(64)   NOT NULL,
    content_type VARCHAR(255)  NOT NULL,
    size_bytes   BIGINT        NOT NULL,
    display_name VARCHAR(4000) NOT NULL,
    uploaded_by  VARCHAR(255),
    created_at   BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS bulwark_upload_workspace ON bulwark_upload (workspace_id, created_at);
-- Per-uploader quotas: UploadGuard.usage counts one member's files with one indexed aggregate.
CREATE INDEX IF NOT EXISTS bulwark_upload_uploader ON bulwark_upload (workspace_id, uploaded_by);
