package dev.bulwark.auth.totp;

/** What {@link TotpAuthenticator#check} found. */
public enum TotpCheck {
    /** The code is right for a time step inside the window that had not been used yet; that step is now used. */
    ACCEPTED,
    /** Not a well-formed code, or not the code of any time step inside the window. */
    INVALID,
    /**
     * The code is right, but its time step (or a later one) was already used: a replay, e.g. by someone who watched
     * the code being typed. Refused like {@link #INVALID}; worth telling the account's owner.
     */
    REPLAYED
}
