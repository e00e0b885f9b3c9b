package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/** The end-to-end suite on the default H2 file database in a fresh data directory. */
class AppOnH2IT extends AppEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
