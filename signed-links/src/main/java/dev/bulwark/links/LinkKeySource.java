package dev.bulwark.links;

/**
 * Where the signer and verifier get their keys. Called on every issue and verify, so an implementation can
 * rotate keys (e.g. reload core-crypto's link-signing keyset) without rebuilding the signer or verifier.
 * A {@link LinkKeyset} is itself a fixed source.
 */
@FunctionalInterface
public interface LinkKeySource {
    /** The keys in force now: one primary that signs, and older keys that still verify. */
    LinkKeyset current();
}
