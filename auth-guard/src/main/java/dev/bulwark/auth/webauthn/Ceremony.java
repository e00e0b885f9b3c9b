package dev.bulwark.auth.webauthn;

/** The WebAuthn ceremony a challenge was issued for; a challenge of one is refused by the other. */
public enum Ceremony {
    REGISTRATION, AUTHENTICATION
}
