-- Bulwark core-crypto: encrypted keysets (portable: PostgreSQL and H2).
-- keyset_b64 holds a Tink keyset encrypted under the master key, bound to `name` as associated data.
-- A destroyed keyset keeps its row with keyset_b64 NULL, so the destruction stays on record and the name is never reused.
CREATE TABLE IF NOT EXISTS bulwark_keysets (
    name            VARCHAR(200)    NOT NULL PRIMARY KEY,
    keyset_b64      VARCHAR(200000),
    version         BIGINT          NOT NULL,
    updated_at_ms   BIGINT          NOT NULL,
    destroyed_at_ms BIGINT          NOT NULL
);
