package dev.bulwark.app;

import dev.bulwark.testkit.TestDatabase;

/**
 * One running app on H2 (with its two-workspace world) shared by the adversarial suites of one test JVM: the H2 route
 * matrix, the web checks and the JSON fuzz properties. Started on first use, closed when the JVM exits.
 */
final class AdversarialShared {
    private static AdversarialWorld h2;
    private static AdversarialWorld.Side fuzz;

    private AdversarialShared() {}

    static synchronized AdversarialWorld h2() throws Exception {
        if (h2 == null) {
            AdversarialWorld w = AdversarialWorld.start(TestDatabase.Kind.H2);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    w.close();
                } catch (Exception e) {
                    // the JVM is exiting; the temp directory is all that is left behind
                }
            }, "adversarial-h2-close"));
            h2 = w;
        }
        return h2;
    }

    /** A third workspace (every role, every record) that only the fuzz properties touch, so hostile input never disturbs A or B. */
    static synchronized AdversarialWorld.Side fuzzSide() throws Exception {
        if (fuzz == null) fuzz = h2().side("adv-fuzz");
        return fuzz;
    }
}
