package dev.bulwark.auth.sso;

import java.util.Objects;

/**
 * An LDAP sign-in was not accepted. {@link #reason()} is machine-readable; the message never contains the password,
 * the service-account secret or directory content. An unknown user and a wrong password give the same reason
 * ({@link Reason#INVALID_CREDENTIALS}) so that responses cannot be used to enumerate accounts.
 */
public final class LdapRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an LDAP sign-in was refused. */
    public enum Reason {
        /** The username is empty, too long or contains control characters. */
        INVALID_USERNAME("the username is not acceptable"),
        /** No such user, wrong password, or an empty password (which LDAP would treat as an anonymous bind). */
        INVALID_CREDENTIALS("the username or password is wrong"),
        /** The user search matched more than one entry; refusing rather than guessing. */
        AMBIGUOUS_USER("the username matches more than one directory entry"),
        /** The user is in no group that maps to a role, and no default role is configured. */
        NO_MAPPED_GROUP("the user is in no group that grants a role in this workspace"),
        /** TLS could not be established: the directory offers no TLS / StartTLS, or its certificate is not trusted or names another host. */
        TLS_NOT_ESTABLISHED("a protected (TLS) connection to the directory could not be established"),
        /** The directory refused the service account's credentials. */
        SERVICE_ACCOUNT_REJECTED("the directory refused the service account"),
        /** The directory cannot be reached or timed out. */
        DIRECTORY_UNAVAILABLE("the directory is not reachable"),
        /** The directory answered with an unexpected error (account locked, policy, size limits, ...). */
        DIRECTORY_ERROR("the directory refused the operation");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final Reason reason;

    LdapRejected(Reason reason) {
        this(reason, reason.description());
    }

    LdapRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}
