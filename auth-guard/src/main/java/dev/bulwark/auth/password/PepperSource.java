package dev.bulwark.auth.password;

/**
 * Where a {@link PasswordHasher} gets its peppers. Asked once per hash or verification, so an implementation can follow
 * a rotating key store (e.g. core-crypto's password-pepper keyset) without rebuilding the hasher or anything holding it.
 * Implementations should cache: the answer is needed for every sign-in. A {@link PepperSet} is itself a fixed source.
 */
@FunctionalInterface
public interface PepperSource {
    /** The peppers in force now: the current one that new hashes use, and older ones whose hashes still verify. */
    PepperSet peppers();

    /**
     * Asked when a stored hash names a pepper id that {@link #peppers()} did not include: a source that caches a key
     * store shared by several nodes should look again (another node may have rotated it) and answer the fresh set.
     * The default answers {@link #peppers()} again. Called only for hashes already stored, never for a presented value.
     */
    default PepperSet peppersIncluding(String pepperId) {
        return peppers();
    }
}
