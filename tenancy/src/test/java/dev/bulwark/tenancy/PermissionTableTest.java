package dev.bulwark.tenancy;

import dev.bulwark.crypto.InMemoryKeysetStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PermissionTableTest {

    /**
     * The expected table, written out independently of {@link Permission}: any change to who may do what must be
     * made in both places, on purpose. Columns: owner admin staff accountant viewer.
     */
    private static final String EXPECTED = """
            WORKSPACE_VIEW             all all all  all  all
            WORKSPACE_SETTINGS_MANAGE  all all -    -    -
            WORKSPACE_DELETE           all -   -    -    -
            MEMBERS_VIEW               all all -    all  all
            MEMBERS_MANAGE             all all -    -    -
            SCHEDULE_VIEW              all all own  all  all
            SCHEDULE_MANAGE            all all own  -    -
            CUSTOMERS_VIEW             all all own  all  all
            CUSTOMERS_MANAGE           all all own  -    -
            FILES_VIEW                 all all own  all  all
            FILES_UPLOAD               all all own  -    -
            INVOICES_VIEW              all all -    all  all
            INVOICES_MANAGE            all all -    all  -
            PAYMENTS_VIEW              all all -    all  all
            PAYMENTS_MANAGE            all all -    all  -
            INTEGRATIONS_MANAGE        all all -    -    -
            AUDIT_VIEW                 all all -    -    -
            """;

    private static Map<Permission, Map<Role, Scope>> expected() {
        Map<Permission, Map<Role, Scope>> table = new EnumMap<>(Permission.class);
        for (String line : EXPECTED.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            Map<Role, Scope> row = new EnumMap<>(Role.class);
            Role[] roles = {Role.OWNER, Role.ADMIN, Role.STAFF, Role.ACCOUNTANT, Role.VIEWER};
            for (int i = 0; i < roles.length; i++) {
                row.put(roles[i], switch (f[i + 1]) {
                    case "all" -> Scope.ALL;
                    case "own" -> Scope.OWN;
                    default -> Scope.NONE;
                });
            }
            table.put(Permission.valueOf(f[0]), row);
        }
        return table;
    }

    @Test
    void everyRolePermissionCellMatchesTheIndependentlyWrittenTable() {
        Map<Permission, Map<Role, Scope>> expected = expected();
        assertThat(expected.keySet()).containsExactlyInAnyOrder(Permission.values());
        int cells = 0;
        for (Permission p : Permission.values()) {
            for (Role r : Role.values()) {
                assertThat(r.scope(p)).as("%s × %s", r, p).isEqualTo(expected.get(p).get(r));
                assertThat(r.can(p)).isEqualTo(expected.get(p).get(r) != Scope.NONE);
                cells++;
            }
        }
        assertThat(cells).isEqualTo(Permission.values().length * Role.values().length);
    }

    @Test
    void contextRequireDeniesExactlyTheCellsTheTableLeavesEmpty() {
        Tenancy tenancy = TestKeys.tenancy(new InMemoryTenancyStore(), new InMemoryKeysetStore());
        Workspace ws = tenancy.createWorkspace("Table", "owner-1");
        TenantContext owner = tenancy.enter("owner-1", ws.id());
        Map<Role, TenantContext> contexts = new HashMap<>();
        contexts.put(Role.OWNER, owner);
        for (Role r : Role.values()) {
            if (r == Role.OWNER) continue;
            tenancy.addMember(owner, "m-" + r, r);
            contexts.put(r, tenancy.enter("m-" + r, ws.id()));
        }
        for (Permission p : Permission.values()) {
            for (Role r : Role.values()) {
                TenantContext ctx = contexts.get(r);
                assertThat(ctx.role()).isEqualTo(r);
                Scope s = expected().get(p).get(r);
                if (s == Scope.NONE) {
                    assertThatThrownBy(() -> ctx.require(p)).as("%s × %s", r, p).isInstanceOf(AccessDenied.class)
                            .extracting(e -> ((AccessDenied) e).reason()).isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
                    assertThatThrownBy(() -> ctx.require(p, ctx.memberId())).isInstanceOf(AccessDenied.class);
                } else {
                    assertThat(ctx.require(p)).isEqualTo(s);
                    ctx.require(p, ctx.memberId()); // own row: always allowed when granted
                    if (s == Scope.OWN) {
                        assertThatThrownBy(() -> ctx.require(p, "someone-else")).isInstanceOf(AccessDenied.class)
                                .extracting(e -> ((AccessDenied) e).reason()).isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
                    } else {
                        ctx.require(p, "someone-else");
                    }
                }
            }
        }
    }

    @Test
    void viewerNeverWritesAndAccountantWritesOnlyInvoicesAndPayments() {
        for (Permission p : Permission.values()) {
            if (p.writes()) assertThat(Role.VIEWER.can(p)).as(p.name()).isFalse();
            if (p.writes() && Role.ACCOUNTANT.can(p)) assertThat(p).isIn(Permission.INVOICES_MANAGE, Permission.PAYMENTS_MANAGE);
        }
    }

    @Test
    void staffSeesOnlyOwnScheduleAndCustomersAndNoMoney() {
        assertThat(Role.STAFF.scope(Permission.SCHEDULE_VIEW)).isEqualTo(Scope.OWN);
        assertThat(Role.STAFF.scope(Permission.CUSTOMERS_VIEW)).isEqualTo(Scope.OWN);
        for (Permission p : Permission.values()) assertThat(Role.STAFF.scope(p) != Scope.ALL || p == Permission.WORKSPACE_VIEW).isTrue();
        assertThat(Role.STAFF.can(Permission.INVOICES_VIEW)).isFalse();
        assertThat(Role.STAFF.can(Permission.PAYMENTS_VIEW)).isFalse();
    }

    @Test
    void ownerHasEverythingAndNoOtherRoleHasMoreThanAdmin() {
        for (Permission p : Permission.values()) {
            assertThat(Role.OWNER.scope(p)).isEqualTo(Scope.ALL);
            for (Role r : Role.values()) {
                if (r != Role.OWNER) assertThat(r.scope(p).compareTo(Role.ADMIN.scope(p)) <= 0).as("%s %s", r, p).isTrue();
            }
        }
        assertThat(Role.ADMIN.can(Permission.WORKSPACE_DELETE)).isFalse();
    }

    @Test
    void readmePrintsTheDeclaredTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(PermissionTable.markdown());
        assertThat(PermissionTable.markdown().lines().count()).isEqualTo(Permission.values().length + 2);
    }
}
