-- Enterprise sign-in (issue 12): per-workspace single sign-on. Portable SQL (PostgreSQL and H2).
-- app_sso_settings and app_sso_identities are workspace tables: V301 puts them under the tenancy row-level security
-- policy on PostgreSQL, and the app reaches them only through TenantScopedJdbc with a TenantContext.

-- One row per workspace. The OIDC client secret and the LDAP service password are core-crypto ciphertext (bw1...)
-- under the connection-credentials keyset, bound to workspace / table / column (oidc_client_secret,
-- ldap_service_password) / row (the workspace id). Group -> role mappings are a JSON array.
CREATE TABLE app_sso_settings (
    workspace_id               VARCHAR(64)    NOT NULL PRIMARY KEY,
    require_sso                BOOLEAN        NOT NULL,
    owner_break_glass          BOOLEAN        NOT NULL,
    oidc_issuer                VARCHAR(2048),
    oidc_client_id             VARCHAR(512),
    oidc_client_secret_enc     VARCHAR(4000),
    oidc_allowed_domains       VARCHAR(4000),
    oidc_jit_role              VARCHAR(20),
    ldap_host                  VARCHAR(253),
    ldap_port                  INTEGER,
    ldap_transport             VARCHAR(16),
    ldap_bind_dn               VARCHAR(1024),
    ldap_service_password_enc  VARCHAR(4000),
    ldap_user_base             VARCHAR(1024),
    ldap_user_filter           VARCHAR(1024),
    ldap_group_roles           VARCHAR(8000),
    ldap_default_role          VARCHAR(20),
    tls_ca_pem                 VARCHAR(16000),
    updated_at_ms              BIGINT         NOT NULL
);

-- The provider identity a member first signed in with (OIDC: issuer + sub; LDAP: the entry DN), per workspace and
-- method. A later sign-in for the same member with another identity is refused (e-mail reassignment at the provider).
CREATE TABLE app_sso_identities (
    workspace_id   VARCHAR(64)    NOT NULL,
    user_id        VARCHAR(64)    NOT NULL,
    method         VARCHAR(8)     NOT NULL,
    subject        VARCHAR(1024)  NOT NULL,
    linked_at_ms   BIGINT         NOT NULL,
    PRIMARY KEY (workspace_id, user_id, method)
);

-- Sessions started by single sign-on and the one workspace they are bound to: such a session enters only that
-- workspace (the provider of one workspace never vouches for the account's other workspaces). Platform table, read
-- by session id like app_session_meta; rows of ended sessions are purged.
CREATE TABLE app_sso_sessions (
    session_id     VARCHAR(32)    NOT NULL PRIMARY KEY,
    workspace_id   VARCHAR(64)    NOT NULL,
    user_id        VARCHAR(64)    NOT NULL,
    method         VARCHAR(8)     NOT NULL,
    created_at_ms  BIGINT         NOT NULL
);
CREATE INDEX app_sso_sessions_user ON app_sso_sessions (user_id);
