package dev.bulwark.links;

import java.util.Objects;

/**
 * A link token was not accepted. {@link #reason()} says why in a form a program can act on; the message says it
 * for a person and never contains the token, a claim value from it or key material.
 *
 * <p>No stack trace is captured: a rejection is an expected outcome, and forged tokens must stay cheap to refuse.
 */
public final class LinkRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a token was rejected. */
    public enum Reason {
        /** Not a compact JWS, not canonical base64url, or claims missing / of the wrong type. */
        MALFORMED("the token is not a well-formed link token"),
        /** The header names an algorithm other than HS256 (including "none"), or carries or points to its own key. */
        ALGORITHM_NOT_ALLOWED("the token's header asks for an algorithm or key that is not accepted (only HS256 with a known kid)"),
        /** The kid in the header names no key this verifier holds (retired, or never ours). */
        UNKNOWN_KEY("the token was signed with a key this verifier does not hold"),
        /** The MAC does not match: tampered, truncated, or signed with another key. */
        BAD_SIGNATURE("the token's signature does not match"),
        /** Signed for another audience (another application or environment). */
        WRONG_AUDIENCE("the token was issued for another audience"),
        /** Signed for another purpose than the one it is presented for. */
        WRONG_PURPOSE("the token was issued for another purpose"),
        /** Signed for another workspace. */
        WRONG_WORKSPACE("the token was issued for another workspace"),
        /** Signed for another resource than the one requested. */
        WRONG_RESOURCE("the token was issued for another resource"),
        /** Its lifetime is longer than its purpose allows. */
        LIFETIME_EXCEEDS_PURPOSE("the token's lifetime exceeds what its purpose allows"),
        /** Past its expiry (plus the allowed clock skew). */
        EXPIRED("the link has expired"),
        /** Issued in the future (beyond the allowed clock skew). */
        NOT_YET_VALID("the token's issue time is in the future"),
        /** Every link to its resource was revoked after it was issued. */
        REVOKED("links to this resource have been revoked"),
        /** A single-use link that has already been used. */
        ALREADY_USED("this single-use link has already been used");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    LinkRejected(Reason reason) {
        this(reason, reason.description());
    }

    LinkRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
