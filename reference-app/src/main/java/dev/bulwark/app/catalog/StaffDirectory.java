package dev.bulwark.app.catalog;

import dev.bulwark.app.account.User;
import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Services;
import dev.bulwark.tenancy.Membership;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.Role;
import dev.bulwark.tenancy.TenantContext;

import java.util.List;

/** The workspace's members as staff: everyone for roles that may see the team, only oneself otherwise. */
public final class StaffDirectory {
    public record Staff(String memberId, String name, String email, Role role) {}

    private final Services s;

    public StaffDirectory(Services s) {
        this.s = s;
    }

    public List<Staff> visible(TenantContext ctx) {
        if (!ctx.can(Permission.MEMBERS_VIEW)) return List.of(staff(ctx.memberId(), ctx.role()));
        return s.tenancy().members(ctx).stream().map(m -> staff(m.memberId(), m.role())).toList();
    }

    /** Requires {@code memberId} to be a member of the context's workspace (404 otherwise, or for a staff role, anyone but oneself). */
    public Staff require(TenantContext ctx, String memberId) {
        return visible(ctx).stream().filter(x -> x.memberId().equals(memberId)).findFirst().orElseThrow(AppError::notFound);
    }

    /** For public flows entered as an owner: every member. */
    public List<Membership> all(TenantContext ctx) {
        return s.tenancy().members(ctx);
    }

    public String name(String memberId) {
        return s.users().byId(memberId).map(User::name).orElse("(former member)");
    }

    private Staff staff(String id, Role role) {
        User u = s.users().byId(id).orElse(null);
        return new Staff(id, u == null ? "(unknown)" : u.name(), u == null ? "" : u.email(), role);
    }
}
