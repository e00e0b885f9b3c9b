-- Reference app tables (portable: PostgreSQL and H2). Module tables come from V2 (their own DDL resources).

-- Accounts. e-mail is the login identifier (lower-cased); the TOTP secret is encrypted with core-crypto's
-- shared field keyset, bound to this table/column/row.
CREATE TABLE app_users (
    id                      VARCHAR(64)   NOT NULL PRIMARY KEY,
    email                   VARCHAR(320)  NOT NULL UNIQUE,
    name                    VARCHAR(200)  NOT NULL,
    password_hash           VARCHAR(512)  NOT NULL,
    email_verified          BOOLEAN       NOT NULL,
    mfa_secret              VARCHAR(2000),
    mfa_enabled             BOOLEAN       NOT NULL,
    pending_email           VARCHAR(320),
    created_at_ms           BIGINT        NOT NULL,
    password_changed_at_ms  BIGINT        NOT NULL
);

-- Per-session facts the app adds to auth-guard's sessions: when the user last proved who they are (re-auth).
CREATE TABLE app_session_meta (
    session_id      VARCHAR(32)  NOT NULL PRIMARY KEY,
    user_id         VARCHAR(64)  NOT NULL,
    reauth_at_ms    BIGINT       NOT NULL
);
CREATE INDEX app_session_meta_user ON app_session_meta (user_id);

-- Workspace security settings (row-level security on PostgreSQL).
CREATE TABLE app_workspace_settings (
    workspace_id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    ip_allowlist          VARCHAR(4000) NOT NULL,
    require_mfa           BOOLEAN       NOT NULL,
    audit_retention_days  INTEGER       NOT NULL,
    updated_at_ms         BIGINT        NOT NULL
);

-- Team invitations. Like memberships, this is a directory read before the invitee is a member (so it cannot
-- sit behind the workspace policy); the invite link itself is a signed single-use token.
CREATE TABLE app_invites (
    workspace_id    VARCHAR(64)   NOT NULL,
    id              VARCHAR(64)   NOT NULL,
    email           VARCHAR(320)  NOT NULL,
    role            VARCHAR(20)   NOT NULL,
    invited_by      VARCHAR(128)  NOT NULL,
    created_at_ms   BIGINT        NOT NULL,
    accepted_at_ms  BIGINT,
    revoked_at_ms   BIGINT,
    PRIMARY KEY (workspace_id, id)
);
