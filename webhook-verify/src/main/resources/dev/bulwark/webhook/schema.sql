-- Bulwark webhook-verify replay guard. Portable SQL: runs unchanged on PostgreSQL and H2, and is safe to re-run.

-- Event ids already accepted, kept until shortly after their signed timestamp leaves the tolerance window.
-- claimed_by NOT NULL: in progress, held by that claim until lease_until (epoch seconds); NULL: done.
CREATE TABLE IF NOT EXISTS bulwark_webhook_seen (
    event_key   VARCHAR(300) NOT NULL PRIMARY KEY,
    keep_until  BIGINT       NOT NULL,
    lease_until BIGINT,
    claimed_by  VARCHAR(64)
);
CREATE INDEX IF NOT EXISTS bulwark_webhook_seen_keep_until ON bulwark_webhook_seen (keep_until);

-- Upgrade of a table created before the in-progress state: its rows become done records.
ALTER TABLE bulwark_webhook_seen ADD COLUMN IF NOT EXISTS lease_until BIGINT;
ALTER TABLE bulwark_webhook_seen ADD COLUMN IF NOT EXISTS claimed_by VARCHAR(64);
