package dev.bulwark.app.product;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.Tenancy;
import dev.bulwark.tenancy.TenancyStore;
import dev.bulwark.tenancy.TenantContext;

/**
 * Work that no member starts (a customer following a verified signed link, a verified Stripe webhook) still runs
 * through a {@link TenantContext}: the workspace comes from the verified link or webhook, and the context is entered
 * through tenancy as one of the workspace's current owners, looked up in the membership store on every call. A
 * deleted workspace has no members and so cannot be entered. Callers run only the narrow public operation.
 */
public final class PublicAccess {
    private final Tenancy tenancy;
    private final TenancyStore store;

    public PublicAccess(Tenancy tenancy, TenancyStore store) {
        this.tenancy = tenancy;
        this.store = store;
    }

    public TenantContext enter(String workspaceId) {
        for (Membership m : store.memberships(workspaceId)) {
            if (m.role() == Role.OWNER) return tenancy.enter(m.memberId(), workspaceId);
        }
        throw AppError.notFound();
    }
}
