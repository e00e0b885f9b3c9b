package dev.bulwark.auth.sso;

import java.util.Objects;

/**
 * A secret handed to this module (an OIDC client secret, an LDAP service-account password). It exists so that
 * secrets never reach a log line by accident: {@link #toString()} prints a redaction, never the value.
 *
 * <p>The application keeps the value encrypted at rest (for example under core-crypto's connection-credentials
 * keyset) and decrypts it only inside the {@link ClientSecretSource} / supplier that builds this object.
 */
public final class SecretValue {
    private final String value;

    private SecretValue(String value) {
        this.value = value;
    }

    /** Wraps a secret. Refuses null and empty values (an empty LDAP password would be an anonymous bind). */
    public static SecretValue of(String value) {
        Objects.requireNonNull(value, "secret value");
        if (value.isEmpty()) throw new IllegalArgumentException("a secret value may not be empty");
        return new SecretValue(value);
    }

    /** The secret itself, for the one call that must send it. */
    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "SecretValue[redacted]";
    }
}
