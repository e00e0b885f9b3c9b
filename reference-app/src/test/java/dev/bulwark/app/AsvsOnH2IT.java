package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/** The ASVS end-to-end proofs on the default H2 file database. */
class AsvsOnH2IT extends AsvsEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
