-- Bulwark tenancy: workspaces and memberships (portable: PostgreSQL and H2).
-- A deleted workspace keeps its row (the id is never reused) with deleted_at_ms, shredded_at_ms and the ids of
-- the keysets destroyed for it, so the crypto-shredding stays on record.
CREATE TABLE IF NOT EXISTS bulwark_workspaces (
    id               VARCHAR(64)   NOT NULL PRIMARY KEY,
    name             VARCHAR(200)  NOT NULL,
    created_at_ms    BIGINT        NOT NULL,
    deleted_at_ms    BIGINT,
    shredded_at_ms   BIGINT,
    shredded_keysets VARCHAR(2000)
);
CREATE TABLE IF NOT EXISTS bulwark_memberships (
    workspace_id     VARCHAR(64)   NOT NULL REFERENCES bulwark_workspaces (id),
    member_id        VARCHAR(128)  NOT NULL,
    role             VARCHAR(20)   NOT NULL,
    created_at_ms    BIGINT        NOT NULL,
    PRIMARY KEY (workspace_id, member_id)
);
CREATE INDEX IF NOT EXISTS bulwark_memberships_by_member ON bulwark_memberships (member_id);
