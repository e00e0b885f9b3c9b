package dev.bulwark.app;

/** The route matrix on the default H2 database (the shared adversarial app). */
class AdversarialRouteMatrixOnH2IT extends AdversarialRouteMatrix {
    @Override
    AdversarialWorld world() {
        try {
            return AdversarialShared.h2();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
