package dev.bulwark.auth;

/**
 * A store (in-memory or JDBC) could not complete an operation, e.g. the database is unreachable. The message
 * names the operation; it never contains a secret, token, hash or password.
 */
public final class AuthStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthStoreException(String operation, Throwable cause) {
        super("auth-guard store operation failed: " + operation
                + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")"), cause);
    }
}
