-- Bucket4j PostgreSQL backend (select-for-update strategy, string keys). PostgreSQL only.
CREATE TABLE IF NOT EXISTS bulwark_rate_limit_bucket (
    id         VARCHAR(255) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX IF NOT EXISTS bulwark_rate_limit_bucket_expiry ON bulwark_rate_limit_bucket (expires_at);
