package dev.bulwark.auth.password;

/** Hashing or verification could not run. The message never contains the password or the hash. */
public final class PasswordHashingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the operation did not run. */
    public enum Reason {
        /** The password is empty. */
        EMPTY_PASSWORD,
        /** The password exceeds the hasher's maximum length (rejected before hashing, a DoS guard). */
        PASSWORD_TOO_LONG,
        /** The bounded hashing queue is full: too many concurrent hash operations. Retry later (HTTP 503). */
        OVERLOADED,
        /** The waiting thread was interrupted. */
        INTERRUPTED,
        /** The hasher has been closed. */
        CLOSED,
        /** The {@link PepperSource} could not say which peppers are in force (e.g. its key store is unreachable). */
        PEPPER_UNAVAILABLE
    }

    private final Reason reason;

    PasswordHashingException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    PasswordHashingException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
