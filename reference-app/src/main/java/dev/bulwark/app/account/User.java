package dev.bulwark.app.account;

import java.time.Instant;

/** An account row. The password hash and encrypted TOTP secret never reach a page or a log. */
public record User(String id, String email, String name, String passwordHash, boolean emailVerified, String mfaSecretEncrypted,
                   boolean mfaEnabled, String pendingEmail, Instant createdAt) {
    @Override
    public String toString() {
        return "User[" + id + "]";
    }
}
