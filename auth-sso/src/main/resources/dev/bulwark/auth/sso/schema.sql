-- Bulwark auth-sso stores. Portable SQL: runs unchanged on PostgreSQL and H2.

-- Started OIDC sign-ins, single use: a row is deleted by the callback that consumes it (or purged after expiry).
-- state_hash and binding_hash are base64url SHA-256 digests; the state and cookie values themselves are not stored.
CREATE TABLE IF NOT EXISTS bulwark_sso_login_attempt (
    state_hash    VARCHAR(64)   NOT NULL PRIMARY KEY,
    workspace_id  VARCHAR(128)  NOT NULL,
    binding_hash  VARCHAR(64)   NOT NULL,
    nonce         VARCHAR(128)  NOT NULL,
    code_verifier VARCHAR(128)  NOT NULL,
    redirect_uri  VARCHAR(2048) NOT NULL,
    expires_at    BIGINT        NOT NULL
);
CREATE INDEX IF NOT EXISTS bulwark_sso_login_attempt_expires ON bulwark_sso_login_attempt (expires_at);
