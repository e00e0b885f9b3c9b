package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/** The single sign-on suite on the default H2 file database. */
class SsoOnH2IT extends SsoEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
