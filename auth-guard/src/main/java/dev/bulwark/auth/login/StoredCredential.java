package dev.bulwark.auth.login;

import java.util.Objects;

/** What the application knows about an existing account: its user id and stored password hash. */
public final class StoredCredential {
    private final String userId;
    private final String passwordHash;

    public StoredCredential(String userId, String passwordHash) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.passwordHash = Objects.requireNonNull(passwordHash, "passwordHash");
    }

    public String userId() {
        return userId;
    }

    public String passwordHash() {
        return passwordHash;
    }

    @Override
    public String toString() {
        return "StoredCredential[userId=" + userId + ", passwordHash=<redacted>]";
    }
}
