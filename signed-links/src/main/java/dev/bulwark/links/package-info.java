/**
 * Short-lived, purpose-bound signed links: {@link dev.bulwark.links.LinkSigner} issues HS256 JWS tokens with a
 * {@code kid}; {@link dev.bulwark.links.LinkVerifier} turns a token into a {@link dev.bulwark.links.VerifiedLink}
 * or a {@link dev.bulwark.links.LinkRejected} with a machine-readable reason.
 */
package dev.bulwark.links;
