package dev.bulwark.auth.sso;

import java.util.Objects;

/**
 * An OIDC sign-in was not accepted. {@link #reason()} says why in a form a program can act on (audit, metrics,
 * which page to show); the message says it for a person and never contains a token, code, state, nonce, secret
 * or claim value.
 *
 * <p>No stack trace is captured: a rejection is an expected outcome and forged callbacks must stay cheap to refuse.
 */
public final class SsoRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a sign-in was refused. */
    public enum Reason {
        /** The workspace has no OIDC single sign-on configured. */
        NOT_CONFIGURED("this workspace has no single sign-on configured"),
        /**
         * The issuer, token endpoint or key set is on a host the server's outbound allow list ({@link OutboundHosts})
         * does not name: nothing was sent to it.
         */
        HOST_NOT_ALLOWED("the identity provider's address is not on this server's outbound allow list"),
        /** Discovery or the key set could not be fetched or is not usable (issuer mismatch, missing endpoints). */
        PROVIDER_UNAVAILABLE("the identity provider's configuration or keys could not be loaded"),
        /** The callback parameters are missing, repeated, too long or not well formed. */
        MALFORMED_CALLBACK("the sign-in callback is not well formed"),
        /** The identity provider answered with an OAuth error (the user cancelled, consent refused, ...). */
        PROVIDER_ERROR("the identity provider refused the sign-in"),
        /** The state is unknown, expired, already used, for another workspace or not bound to this browser. */
        STATE_MISMATCH("the sign-in attempt is unknown, expired, already used or was started in another browser"),
        /** The authorization code could not be exchanged (token endpoint error, unreachable, bad response). */
        TOKEN_EXCHANGE_FAILED("the authorization code could not be exchanged for tokens"),
        /** The ID token is not a well-formed signed JWT or lacks required claims. */
        MALFORMED_ID_TOKEN("the ID token is not well formed"),
        /** The ID token is unsigned ("none"), MAC-signed, encrypted or uses an algorithm not on the allow-list. */
        ALGORITHM_NOT_ALLOWED("the ID token uses an algorithm that is not accepted"),
        /** The ID token names a key the provider's key set does not hold, even after refetching it. */
        UNKNOWN_KEY("the ID token was signed with a key the identity provider does not publish"),
        /** The ID token's signature does not verify under the provider's key. */
        BAD_SIGNATURE("the ID token's signature does not verify"),
        /** The ID token (or the callback's iss parameter) names another issuer. */
        WRONG_ISSUER("the ID token was issued by another issuer"),
        /** The ID token was issued for another client. */
        WRONG_AUDIENCE("the ID token was issued for another client"),
        /** The ID token has expired (beyond the allowed clock skew). */
        EXPIRED("the ID token has expired"),
        /** The ID token's issue or not-before time is in the future (beyond the allowed clock skew). */
        NOT_YET_VALID("the ID token is not valid yet"),
        /** The ID token's nonce is missing or belongs to another sign-in attempt (a replayed token). */
        NONCE_MISMATCH("the ID token does not belong to this sign-in attempt"),
        /** The ID token carries no e-mail claim. */
        EMAIL_MISSING("the identity provider did not supply an e-mail address"),
        /** The e-mail claim is not a plausible address. */
        EMAIL_INVALID("the identity provider supplied an e-mail address that is not valid"),
        /** email_verified is absent or not true. */
        EMAIL_NOT_VERIFIED("the identity provider has not verified the e-mail address"),
        /** The e-mail address's domain is not among the workspace's allowed domains. */
        EMAIL_DOMAIN_NOT_ALLOWED("the e-mail address's domain is not allowed for this workspace"),
        /** No member has this e-mail address and just-in-time membership is off. */
        NOT_A_MEMBER("no member of this workspace has this e-mail address");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    SsoRejected(Reason reason) {
        this(reason, reason.description());
    }

    SsoRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
