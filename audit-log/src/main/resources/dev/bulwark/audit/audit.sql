-- Bulwark audit-log (portable: PostgreSQL and H2).
-- One row per chain (workspace or platform): its head, its retention and its pruning checkpoint. Appends lock this
-- row (SELECT ... FOR UPDATE), so concurrent writers on any number of nodes never fork a chain; the primary key
-- (chain_id, seq) of the events is a second guard.
CREATE TABLE IF NOT EXISTS bulwark_audit_chains (
    chain_id         VARCHAR(80)   NOT NULL PRIMARY KEY,
    last_seq         BIGINT        NOT NULL,
    last_mac         VARCHAR(64)   NOT NULL,
    last_time_ms     BIGINT        NOT NULL,
    retention_ms     BIGINT,
    cp_through_seq   BIGINT,
    cp_last_mac      VARCHAR(64),
    cp_pruned_at_ms  BIGINT,
    cp_key_id        INTEGER,
    cp_mac           VARCHAR(64)
);
CREATE TABLE IF NOT EXISTS bulwark_audit_events (
    chain_id         VARCHAR(80)   NOT NULL,
    seq              BIGINT        NOT NULL,
    time_ms          BIGINT        NOT NULL,
    actor_type       VARCHAR(16)   NOT NULL,
    actor_id         VARCHAR(128)  NOT NULL,
    action           VARCHAR(100)  NOT NULL,
    target_type      VARCHAR(64),
    target_id        VARCHAR(128),
    outcome          VARCHAR(16)   NOT NULL,
    ip               VARCHAR(45),
    user_agent       VARCHAR(512),
    details          VARCHAR(20000) NOT NULL,
    suspicious       BOOLEAN       NOT NULL,
    key_id           INTEGER       NOT NULL,
    prev_mac         VARCHAR(64)   NOT NULL,
    mac              VARCHAR(64)   NOT NULL,
    PRIMARY KEY (chain_id, seq)
);
CREATE INDEX IF NOT EXISTS bulwark_audit_events_time ON bulwark_audit_events (chain_id, time_ms);
CREATE INDEX IF NOT EXISTS bulwark_audit_events_actor ON bulwark_audit_events (chain_id, actor_id);
CREATE INDEX IF NOT EXISTS bulwark_audit_events_action ON bulwark_audit_events (chain_id, action);
CREATE INDEX IF NOT EXISTS bulwark_audit_events_target ON bulwark_audit_events (chain_id, target_type, target_id);
