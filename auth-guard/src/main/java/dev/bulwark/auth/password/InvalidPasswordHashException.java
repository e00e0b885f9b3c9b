package dev.bulwark.auth.password;

/**
 * A stored password hash string could not be read. Thrown for any malformed, unsupported or out-of-range
 * encoding; never for a wrong password. The message describes the problem without echoing the hash.
 */
public final class InvalidPasswordHashException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the stored hash was refused. */
    public enum Reason {
        /** Not a recognised format (PHC Argon2id, bcrypt, PBKDF2-HMAC-SHA256). */
        UNKNOWN_FORMAT,
        /** Recognised scheme, but the string does not follow its syntax. */
        MALFORMED,
        /** An Argon2 variant or version this library does not verify (only argon2id v=19). */
        UNSUPPORTED_VARIANT,
        /** Cost, salt or tag size outside the range we accept (guards against resource exhaustion). */
        PARAMETERS_OUT_OF_RANGE,
        /** An Argon2id hash made with a pepper ({@code keyid}) this hasher was not given (see {@link Pepper}). */
        UNKNOWN_PEPPER
    }

    private final Reason reason;

    InvalidPasswordHashException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
