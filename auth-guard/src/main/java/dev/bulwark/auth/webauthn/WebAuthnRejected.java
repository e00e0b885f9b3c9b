package dev.bulwark.auth.webauthn;

import java.util.Objects;

/**
 * A WebAuthn registration or authentication response was not accepted. {@link #reason()} is machine-readable; the
 * message helps the integrator and never contains a challenge, a credential id, a key or the response.
 *
 * <p>No stack trace is captured: rejections are expected, and a forged response must stay cheap to refuse.
 */
public final class WebAuthnRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a response was refused. */
    public enum Reason {
        /** Not the JSON of a PublicKeyCredential, bad base64url, or authenticator data / CBOR that does not parse. */
        MALFORMED,
        /** The challenge was never issued, has expired, or was already used (every response consumes it). */
        CHALLENGE_UNKNOWN,
        /** The challenge was issued to another user or for the other ceremony. It is consumed all the same. */
        CHALLENGE_MISMATCH,
        /** clientDataJSON names an origin that is not one of the relying party's (phishing site, wrong port). */
        BAD_ORIGIN,
        /** The authenticator data is scoped to another relying-party id. */
        BAD_RP_ID,
        /** clientDataJSON.type is not the one of this ceremony (an assertion sent to registration, or back). */
        WRONG_CEREMONY,
        /** The assertion signature does not verify under the registered public key. */
        BAD_SIGNATURE,
        /** The user-present flag is not set. */
        USER_NOT_PRESENT,
        /** User verification is required by this relying party and the user-verified flag is not set. */
        USER_NOT_VERIFIED,
        /** The signature counter did not increase: the authenticator may have been cloned. */
        COUNTER_REGRESSION,
        /** No credential with this id is registered. */
        UNKNOWN_CREDENTIAL,
        /** The credential is registered, but to another user. */
        FOREIGN_CREDENTIAL,
        /** This credential id is already registered. */
        DUPLICATE_CREDENTIAL,
        /** The credential's public key algorithm is not one the relying party offered. */
        UNSUPPORTED_ALGORITHM,
        /** The attestation statement does not verify. */
        ATTESTATION_REJECTED,
        /** The name given to a new credential is empty, too long or contains control characters. */
        INVALID_NAME,
        /** The user already has the maximum number of credentials. */
        TOO_MANY_CREDENTIALS,
        /** Any other verification failure. */
        INVALID
        // New reasons go last: callers may have stored ordinals.
    }

    private final Reason reason;

    WebAuthnRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * True for the reasons that point at an attack or a broken client rather than a user slip (a cloned
     * authenticator, a foreign credential, a wrong origin or relying party, a forged signature): flag them in audit.
     */
    public boolean suspicious() {
        return switch (reason) {
            case COUNTER_REGRESSION, FOREIGN_CREDENTIAL, BAD_ORIGIN, BAD_RP_ID, BAD_SIGNATURE, CHALLENGE_MISMATCH,
                    WRONG_CEREMONY, MALFORMED -> true;
            default -> false;
        };
    }
}
