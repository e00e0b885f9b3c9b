-- auth-guard JDBC stores. Portable SQL: runs unchanged on PostgreSQL and H2.
-- Times are epoch milliseconds (BIGINT) so no engine-specific time zone rules apply.

-- Login failure counters and lockouts (LoginStateStore). Keys are "pw:<account>", "mfa:<account>", "dev:<hash>".
CREATE TABLE IF NOT EXISTS bulwark_auth_attempt (
    attempt_key       VARCHAR(400) PRIMARY KEY,
    failures          INTEGER NOT NULL,
    first_failure_at  BIGINT NOT NULL,
    locked_until      BIGINT NOT NULL,
    lockouts          INTEGER NOT NULL,
    last_lockout_at   BIGINT NOT NULL
);

-- Addresses an account has logged in from (for "new address for account" events).
CREATE TABLE IF NOT EXISTS bulwark_auth_known_address (
    account_key  VARCHAR(400) NOT NULL,
    address      VARCHAR(64)  NOT NULL,
    first_seen   BIGINT NOT NULL,
    PRIMARY KEY (account_key, address)
);

-- Sessions: only the SHA-256 of the token is stored.
CREATE TABLE IF NOT EXISTS bulwark_auth_session (
    session_id    VARCHAR(32)  PRIMARY KEY,
    token_hash    VARCHAR(64)  NOT NULL UNIQUE,
    user_id       VARCHAR(255) NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    ip            VARCHAR(64),
    user_agent    VARCHAR(512)
);
CREATE INDEX IF NOT EXISTS bulwark_auth_session_user ON bulwark_auth_session (user_id);

-- TOTP replay guard: the last accepted time step per user.
CREATE TABLE IF NOT EXISTS bulwark_auth_totp_step (
    user_id    VARCHAR(255) PRIMARY KEY,
    last_step  BIGINT NOT NULL
);

-- Recovery codes: only the SHA-256 of each code is stored, a used code is deleted.
CREATE TABLE IF NOT EXISTS bulwark_auth_recovery_code (
    user_id    VARCHAR(255) NOT NULL,
    code_hash  VARCHAR(64)  NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- API keys: only the SHA-256 of the full key and its last 4 characters are stored.
CREATE TABLE IF NOT EXISTS bulwark_auth_api_key (
    key_id        VARCHAR(32)  PRIMARY KEY,
    owner_id      VARCHAR(255) NOT NULL,
    secret_hash   VARCHAR(64)  NOT NULL,
    last4         VARCHAR(4)   NOT NULL,
    scope         VARCHAR(16)  NOT NULL,
    label         VARCHAR(200),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX IF NOT EXISTS bulwark_auth_api_key_owner ON bulwark_auth_api_key (owner_id);

-- WebAuthn security keys (WebAuthnStore). Ids and keys are base64url text; the key is public, nothing here is secret.
CREATE TABLE IF NOT EXISTS bulwark_auth_webauthn_credential (
    credential_id       VARCHAR(1400) PRIMARY KEY,
    user_id             VARCHAR(255)  NOT NULL,
    name                VARCHAR(64)   NOT NULL,
    attested_credential VARCHAR(4000) NOT NULL,
    sign_count          BIGINT  NOT NULL,
    user_verified       BOOLEAN NOT NULL,
    created_at          BIGINT  NOT NULL,
    last_used_at        BIGINT
);
CREATE INDEX IF NOT EXISTS bulwark_auth_webauthn_credential_user ON bulwark_auth_webauthn_credential (user_id);

-- WebAuthn challenges issued and not yet used: only the SHA-256 of each challenge is stored, a used one is deleted.
CREATE TABLE IF NOT EXISTS bulwark_auth_webauthn_challenge (
    challenge_hash  VARCHAR(64)  PRIMARY KEY,
    user_id         VARCHAR(255) NOT NULL,
    ceremony        VARCHAR(16)  NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS bulwark_auth_webauthn_challenge_expiry ON bulwark_auth_webauthn_challenge (expires_at);
