-- Bulwark webhook-verify replay guard. Portable SQL: runs unchanged on PostgreSQL and H2.

-- Event ids already accepted, kept until shortly after their signed timestamp leaves the tolerance window.
CREATE TABLE IF NOT EXISTS bulwark_webhook_seen (
    event_key  VARCHAR(300) NOT NULL PRIMARY KEY,
    keep_until BIGINT       NOT NULL
);
CREATE INDEX IF NOT EXISTS bulwark_webhook_seen_keep_until ON bulwark_webhook_seen (keep_until);
