package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/** The ASVS end-to-end proofs on the machine's PostgreSQL (row-level security, an application role that owns no table). */
class AsvsOnPostgresIT extends AsvsEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
