package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/** The product end-to-end suite on the default H2 file database. */
class ProductOnH2IT extends ProductEndToEnd {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
