package dev.bulwark.auth.login;

import java.util.Optional;

/**
 * Proof that a password login succeeded; only {@link LoginGuard} creates it. Next steps for the application:
 * store {@link #upgradedPasswordHash()} if present, set {@link #deviceCookie()} as an HttpOnly, Secure,
 * long-lived cookie, then require the second factor (if enrolled) and create a session.
 */
public final class VerifiedLogin {
    private final String account;
    private final String userId;
    private final String upgradedPasswordHash;
    private final String deviceCookie;
    private final boolean newAddress;

    VerifiedLogin(String account, String userId, String upgradedPasswordHash, String deviceCookie, boolean newAddress) {
        this.account = account;
        this.userId = userId;
        this.upgradedPasswordHash = upgradedPasswordHash;
        this.deviceCookie = deviceCookie;
        this.newAddress = newAddress;
    }

    /** The normalised account key the login was made for. */
    public String account() {
        return account;
    }

    public String userId() {
        return userId;
    }

    /** A fresh Argon2id hash to store when the old one was legacy or used outdated parameters. */
    public Optional<String> upgradedPasswordHash() {
        return Optional.ofNullable(upgradedPasswordHash);
    }

    /** A new signed device cookie for this browser. */
    public String deviceCookie() {
        return deviceCookie;
    }

    /** Whether this address had not been used by the account before (an event was emitted). */
    public boolean fromNewAddress() {
        return newAddress;
    }

    @Override
    public String toString() {
        return "VerifiedLogin[account=" + account + ", userId=" + userId + ", rehash=" + (upgradedPasswordHash != null)
                + ", deviceCookie=<redacted>]";
    }
}
