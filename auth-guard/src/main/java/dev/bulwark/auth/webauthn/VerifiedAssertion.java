package dev.bulwark.auth.webauthn;

/**
 * A WebAuthn assertion that verified: the user {@code userId} proved possession of the registered credential.
 * Only {@link WebAuthnRelyingParty#finishAuthentication} creates one.
 */
public final class VerifiedAssertion {
    private final String userId;
    private final WebAuthnCredential credential;
    private final boolean userVerified;

    VerifiedAssertion(String userId, WebAuthnCredential credential, boolean userVerified) {
        this.userId = userId;
        this.credential = credential;
        this.userVerified = userVerified;
    }

    public String userId() {
        return userId;
    }

    /** The credential as stored after this use (new counter, last use). */
    public WebAuthnCredential credential() {
        return credential;
    }

    /** Whether the authenticator verified the user (PIN / biometric), not only their presence. */
    public boolean userVerified() {
        return userVerified;
    }

    @Override
    public String toString() {
        return "VerifiedAssertion[user=" + userId + ", credential=" + credential.shortId() + "…]";
    }
}
