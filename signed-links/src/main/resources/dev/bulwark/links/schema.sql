-- Bulwark signed-links stores. Portable SQL: runs unchanged on PostgreSQL and H2.

-- Ids of single-use link tokens that have been used. A row is needed only until the token expires.
CREATE TABLE IF NOT EXISTS bulwark_used_link (
    token_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    keep_until BIGINT      NOT NULL
);
CREATE INDEX IF NOT EXISTS bulwark_used_link_keep_until ON bulwark_used_link (keep_until);

-- Revocation version per resource: links carry the version they were issued under.
CREATE TABLE IF NOT EXISTS bulwark_link_revocation (
    workspace_id VARCHAR(128) NOT NULL,
    resource_id  VARCHAR(128) NOT NULL,
    version      BIGINT       NOT NULL,
    PRIMARY KEY (workspace_id, resource_id)
);
