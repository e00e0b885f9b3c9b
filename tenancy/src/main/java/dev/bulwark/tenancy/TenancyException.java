package dev.bulwark.tenancy;

/** A tenancy operation could not be carried out (not an authorisation failure: see {@link AccessDenied}). */
public final class TenancyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Machine-readable cause. */
    public enum Reason {
        /** An id or name does not have the required shape. */
        INVALID_INPUT,
        /** The member is already part of the workspace. */
        ALREADY_MEMBER,
        /** No such membership. */
        NO_SUCH_MEMBER,
        /** The change would leave the workspace without an owner. */
        LAST_OWNER,
        /** The workspace id is taken (possibly by a deleted, crypto-shredded workspace: ids are never reused). */
        WORKSPACE_EXISTS,
        /** The database role can bypass row-level security (superuser, BYPASSRLS, or owner of a table). */
        UNSAFE_DATABASE_ROLE,
        /** A table lacks row-level security or its workspace policy. */
        ROW_LEVEL_SECURITY_MISSING,
        /** The database failed. */
        STORAGE
    }

    private final Reason reason;

    public TenancyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TenancyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
