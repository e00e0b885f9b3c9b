package dev.bulwark.tenancy;

/**
 * An authorisation check failed. {@link #reason()} is machine-readable (map it to HTTP 403/404); the message helps
 * the integrator and names permissions and roles, never data.
 */
public final class AccessDenied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why access was refused. */
    public enum Reason {
        /** No tenant context was given: the code path forgot to authenticate/enter a workspace. */
        NO_TENANT_CONTEXT,
        /**
         * The member has no membership in the workspace. Also returned for workspaces that do not exist, so a
         * caller cannot probe which workspace ids exist.
         */
        NOT_A_MEMBER,
        /** The workspace was deleted. */
        WORKSPACE_DELETED,
        /** The member's role does not grant the permission. */
        MISSING_PERMISSION,
        /** The role grants the permission only for the member's own rows, and this row is someone else's. */
        NOT_ASSIGNED_TO_MEMBER,
        /** Only an owner may appoint, demote or remove an owner. */
        OWNER_ONLY
    }

    private final Reason reason;

    public AccessDenied(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
