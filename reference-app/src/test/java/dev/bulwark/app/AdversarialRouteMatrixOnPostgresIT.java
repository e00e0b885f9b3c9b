package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The route matrix on the machine's PostgreSQL (row-level security, an application role that owns no table). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdversarialRouteMatrixOnPostgresIT extends AdversarialRouteMatrix {
    private AdversarialWorld world;

    @BeforeAll
    void start() throws Exception {
        world = AdversarialWorld.start(TestDatabase.Kind.POSTGRESQL);
    }

    @AfterAll
    void stop() throws Exception {
        if (world != null) world.close();
    }

    @Override
    AdversarialWorld world() {
        return world;
    }
}
