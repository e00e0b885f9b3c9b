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
}
