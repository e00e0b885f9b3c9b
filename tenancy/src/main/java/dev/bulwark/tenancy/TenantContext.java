package dev.bulwark.tenancy;

import java.util.Collection;
import java.util.Objects;

/**
 * Who is acting in which workspace with which role. Only {@link Tenancy#enter} creates one, after looking the
 * membership up in the store, so a workspace id taken from a request can never become a context by itself.
 *
 * <p>A context is a snapshot for one request or job: create a new one per request so role changes and removals
 * take effect immediately.
 */
public final class TenantContext {
    private final String workspaceId;
    private final String memberId;
    private final Role role;

    TenantContext(Membership verified) {
        this.workspaceId = verified.workspaceId();
        this.memberId = verified.memberId();
        this.role = verified.role();
    }

    public String workspaceId() {
        return workspaceId;
    }

    public String memberId() {
        return memberId;
    }

    public Role role() {
        return role;
    }

    public Scope scope(Permission permission) {
        return role.scope(Objects.requireNonNull(permission, "permission"));
    }

    public boolean can(Permission permission) {
        return scope(permission).granted();
    }

    /**
     * Requires the permission at any scope and returns that scope. A caller that gets {@link Scope#OWN} must limit
     * the work to the member's own rows (the {@link TenantScopedJdbc} helper does this by itself).
     */
    public Scope require(Permission permission) {
        Scope s = scope(permission);
        if (!s.granted()) {
            throw new AccessDenied(AccessDenied.Reason.MISSING_PERMISSION,
                    "role " + role + " does not have " + permission + " in this workspace");
        }
        return s;
    }

    /** Requires the permission for a row assigned to {@code assignedMemberId} (e.g. an appointment's staff member). */
    public void require(Permission permission, String assignedMemberId) {
        if (require(permission) == Scope.OWN && !memberId.equals(assignedMemberId)) {
            throw new AccessDenied(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER,
                    "role " + role + " has " + permission + " only for rows assigned to the member");
        }
    }

    /** Requires the permission for a row served by any of {@code assignedMemberIds} (e.g. a customer's staff). */
    public void requireForAny(Permission permission, Collection<String> assignedMemberIds) {
        if (require(permission) == Scope.OWN && (assignedMemberIds == null || !assignedMemberIds.contains(memberId))) {
            throw new AccessDenied(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER,
                    "role " + role + " has " + permission + " only for rows assigned to the member");
        }
    }

    @Override
    public String toString() {
        return "TenantContext[workspace=" + workspaceId + ", member=" + memberId + ", role=" + role + "]";
    }
}
