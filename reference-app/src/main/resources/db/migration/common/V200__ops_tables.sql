-- Reference app part 3 (operations). Portable SQL (PostgreSQL and H2). Operator data: no workspace content, so no
-- row-level security; the app role gets plain DML like on every table.

-- Restore drills: every run (scheduled weekly inside serve, or the restore-drill subcommand) with its figures.
CREATE TABLE ops_restore_drills (
    id              VARCHAR(40)    NOT NULL PRIMARY KEY,
    backup_id       VARCHAR(100)   NOT NULL,
    started_at_ms   BIGINT         NOT NULL,
    took_ms         BIGINT         NOT NULL,
    passed          BOOLEAN        NOT NULL,
    reason          VARCHAR(40),
    summary         VARCHAR(4000)  NOT NULL,
    report_json     VARCHAR(8000)  NOT NULL
);
CREATE INDEX ops_restore_drills_time ON ops_restore_drills (started_at_ms);

-- Key rotations in progress or done: one row per keyset; a crash leaves status RUNNING and the next run resumes.
CREATE TABLE ops_rotations (
    keyset_id       VARCHAR(200)   NOT NULL PRIMARY KEY,
    status          VARCHAR(20)    NOT NULL,
    new_primary     BIGINT         NOT NULL,
    started_at_ms   BIGINT         NOT NULL,
    finished_at_ms  BIGINT,
    report          VARCHAR(8000)
);

-- Resumable walks of a rotation: one per (keyset, column or file store, workspace), with the last cursor done.
CREATE TABLE ops_rotation_walks (
    keyset_id       VARCHAR(200)   NOT NULL,
    walk_id         VARCHAR(300)   NOT NULL,
    cursor_value    VARCHAR(400),
    complete        BOOLEAN        NOT NULL,
    updated_at_ms   BIGINT         NOT NULL,
    PRIMARY KEY (keyset_id, walk_id)
);

-- Retention policy for data left by deleted customers (their past appointments), per workspace. Audit-log retention
-- is the audit chain's own setting (workspace security settings).
CREATE TABLE ops_retention_policies (
    workspace_id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    deleted_customer_days  INTEGER      NOT NULL,
    updated_at_ms          BIGINT       NOT NULL
);

-- Scheduled jobs: one lease per job, so only one node of several runs it, and the last successful run.
CREATE TABLE ops_job_leases (
    job              VARCHAR(40)   NOT NULL PRIMARY KEY,
    holder           VARCHAR(80),
    leased_until_ms  BIGINT        NOT NULL,
    last_run_ms      BIGINT        NOT NULL
);
