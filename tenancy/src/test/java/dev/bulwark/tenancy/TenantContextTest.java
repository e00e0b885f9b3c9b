package dev.bulwark.tenancy;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks a caller makes through a {@link TenantContext} for rows it loads itself (outside TenantScopedJdbc). */
class TenantContextTest {
    private final TestTenants tenants = new TestTenants();
    private final Workspace ws = tenants.workspace("olga");

    private static AccessDenied.Reason denied(Runnable r) {
        return TenancyScenarios.denied(r);
    }

    @Test
    void canAnswersExactlyWhatRequireEnforces() {
        for (Role r : Role.values()) {
            TenantContext ctx = tenants.as(r, "olga", ws);
            for (Permission p : Permission.values()) {
                boolean granted = r.scope(p) != Scope.NONE;
                assertThat(ctx.can(p)).as("%s × %s", r, p).isEqualTo(granted);
                assertThat(ctx.scope(p)).isEqualTo(r.scope(p));
                if (!granted) assertThat(denied(() -> ctx.require(p))).isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
            }
        }
        TenantContext viewer = tenants.as(Role.VIEWER, "olga", ws);
        assertThatThrownBy(() -> viewer.can(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void staffMayTouchACustomerOnlyWhenTheyServeIt() {
        TenantContext staff = tenants.as(Role.STAFF, "olga", ws);
        staff.requireForAny(Permission.CUSTOMERS_VIEW, List.of("someone-else", staff.memberId()));
        staff.requireForAny(Permission.CUSTOMERS_MANAGE, Set.of(staff.memberId()));
        assertThat(denied(() -> staff.requireForAny(Permission.CUSTOMERS_VIEW, List.of("someone-else", "admin-olga"))))
                .isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
        assertThat(denied(() -> staff.requireForAny(Permission.CUSTOMERS_VIEW, List.of())))
                .isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
        assertThat(denied(() -> staff.requireForAny(Permission.CUSTOMERS_VIEW, null)))
                .isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
        // No permission at all is MISSING_PERMISSION, even when the staff member is listed.
        assertThat(denied(() -> staff.requireForAny(Permission.INVOICES_VIEW, List.of(staff.memberId()))))
                .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
    }

    @Test
    void rolesWithWorkspaceWideScopeMayTouchAnyCustomer() {
        for (Role r : EnumSet.of(Role.OWNER, Role.ADMIN, Role.ACCOUNTANT, Role.VIEWER)) {
            TenantContext ctx = tenants.as(r, "olga", ws);
            ctx.requireForAny(Permission.CUSTOMERS_VIEW, List.of("someone-else"));
            ctx.requireForAny(Permission.CUSTOMERS_VIEW, List.of());
            ctx.requireForAny(Permission.CUSTOMERS_VIEW, null);
            ctx.require(Permission.CUSTOMERS_VIEW, "someone-else");
            ctx.require(Permission.CUSTOMERS_VIEW, null);
        }
        TenantContext viewer = tenants.as(Role.VIEWER, "olga", ws);
        assertThat(denied(() -> viewer.requireForAny(Permission.CUSTOMERS_MANAGE, List.of(viewer.memberId()))))
                .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
    }

    @Test
    void staffRowWithoutAssigneeIsNotTheirs() {
        TenantContext staff = tenants.as(Role.STAFF, "olga", ws);
        assertThat(denied(() -> staff.require(Permission.SCHEDULE_MANAGE, null))).isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
    }

    @Test
    void deniedMessagesNameRoleAndPermissionForTheIntegrator() {
        TenantContext staff = tenants.as(Role.STAFF, "olga", ws);
        assertThatThrownBy(() -> staff.require(Permission.AUDIT_VIEW))
                .hasMessage("role STAFF does not have AUDIT_VIEW in this workspace");
        assertThatThrownBy(() -> staff.requireForAny(Permission.FILES_VIEW, List.of("x")))
                .hasMessage("role STAFF has FILES_VIEW only for rows assigned to the member");
    }

    @Test
    void exactlyTheManageUploadAndDeletePermissionsWrite() {
        Set<Permission> writes = EnumSet.noneOf(Permission.class);
        for (Permission p : Permission.values()) {
            assertThat(p.writes()).isEqualTo(p.kind() == Permission.Kind.WRITE);
            if (p.writes()) writes.add(p);
        }
        assertThat(writes).containsExactlyInAnyOrder(Permission.WORKSPACE_SETTINGS_MANAGE, Permission.WORKSPACE_DELETE,
                Permission.MEMBERS_MANAGE, Permission.SCHEDULE_MANAGE, Permission.CUSTOMERS_MANAGE, Permission.FILES_UPLOAD,
                Permission.INVOICES_MANAGE, Permission.PAYMENTS_MANAGE, Permission.INTEGRATIONS_MANAGE);
    }

    @Test
    void storedRoleNamesParseExactlyAndAnythingElseGrantsNothing() {
        for (Role r : Role.values()) assertThat(Role.parse(r.name())).isEqualTo(r);
        assertThat(Role.parse("owner")).isNull();
        assertThat(Role.parse("SUPERUSER")).isNull();
        assertThat(Role.parse("")).isNull();
        assertThat(Role.parse(null)).isNull();
    }
}
