package dev.bulwark.tenancy;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Input rules of the workspace-scoped helper on H2 and PostgreSQL: limits, ordering, empty input, undeclared
 * permissions, a custom workspace column and tables without an owner column. TenantScopedJdbcIT covers isolation.
 */
class TenantScopedJdbcRulesIT {
    private static final ScopedTable NOTES = TenantScopedJdbcIT.NOTES;

    private final TestTenants tenants = new TestTenants();

    private record Fixture(TestDatabase db, TenantScopedJdbc jdbc, Workspace a, Workspace b) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
        }
    }

    private Fixture fixture(TestDatabase.Kind kind) throws SQLException {
        TestDatabase db = kind.open();
        TestTenants.exec(db.dataSource(), TenantScopedJdbcIT.DDL,
                "CREATE TABLE docs (id INT PRIMARY KEY, tenant VARCHAR(64) NOT NULL, title VARCHAR(100) NOT NULL)");
        Workspace a = tenants.workspace("alice");
        Workspace b = tenants.workspace("bob");
        TestTenants.exec(db.dataSource(),
                "INSERT INTO notes VALUES (1, '" + a.id() + "', 'alice', 'a1', 10)",
                "INSERT INTO notes VALUES (2, '" + a.id() + "', 'staff-alice', 'a2', 20)",
                "INSERT INTO notes VALUES (3, '" + a.id() + "', 'alice', 'a3', 30)",
                "INSERT INTO notes VALUES (4, '" + b.id() + "', 'bob', 'b1', 40)",
                "INSERT INTO docs VALUES (1, '" + a.id() + "', 'doc a'), (2, '" + b.id() + "', 'doc b')");
        return new Fixture(db, TenantScopedJdbc.builder().dataSource(db.dataSource()).build(), a, b);
    }

    private static List<String> rows(TestDatabase db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                out.add(sb.toString());
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void selectLimitIsBetweenOneAndTenThousandAndOrderIsApplied(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThat(f.jdbc().select(alice, NOTES, "id", Where.all(), "amount DESC", 1, r -> r.getInt(1))).containsExactly(3);
            assertThat(f.jdbc().select(alice, NOTES, "id", Where.all(), "owner_id, id desc", 10_000, r -> r.getInt(1)))
                    .containsExactly(3, 1, 2);
            assertThat(f.jdbc().select(alice, NOTES, "id, body", Where.of("amount >= ?", 20), "id", 2, r -> r.getString(2)))
                    .containsExactly("a2", "a3");
            for (int bad : new int[] {0, -1, 10_001}) {
                assertThatThrownBy(() -> f.jdbc().select(alice, NOTES, "id", Where.all(), "id", bad, r -> 1))
                        .as("limit %d", bad).isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be 1..10000");
            }
            assertThat(f.jdbc().select(alice, NOTES, "id", Where.all(), r -> r.getInt(1))).containsExactlyInAnyOrder(1, 2, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void emptyValuesAndMissingConditionsAreRejectedBeforeAnythingRuns(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            List<String> before = rows(f.db(), "SELECT * FROM notes ORDER BY id");
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThatThrownBy(() -> f.jdbc().insert(alice, NOTES, Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().insert(alice, NOTES, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().update(alice, NOTES, Map.of(), Where.all())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().update(alice, NOTES, null, Where.all())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().update(alice, NOTES, Map.of("amount", 0), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Where.all()");
            assertThatThrownBy(() -> f.jdbc().delete(alice, NOTES, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().count(alice, NOTES, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().insert(alice, NOTES, Map.of("id", 9, "body; DROP TABLE notes", "x")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().inTransaction(alice, null)).isInstanceOf(NullPointerException.class);
            assertThat(rows(f.db(), "SELECT * FROM notes ORDER BY id")).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void updateSetsEveryGivenColumnOnlyInTheWorkspace(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("body", "paid");
            values.put("amount", 0);
            values.put("owner_id", "staff-alice"); // an owner may reassign rows
            assertThat(f.jdbc().update(alice, NOTES, values, Where.of("amount < ?", 25))).isEqualTo(2);
            assertThat(f.jdbc().count(alice, NOTES, Where.eq("body", "paid"))).isEqualTo(2);
            assertThat(rows(f.db(), "SELECT id, owner_id, body, amount FROM notes ORDER BY id")).containsExactly(
                    "1|staff-alice|paid|0", "2|staff-alice|paid|0", "3|alice|a3|30", "4|bob|b1|40");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void staffMayKeepARowAssignedToThemselvesButNeverHandItToAnyoneElse(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext staff = tenants.as(Role.STAFF, "alice", f.a());
            assertThat(f.jdbc().update(staff, NOTES, Map.of("owner_id", "staff-alice", "amount", 21), Where.all())).isEqualTo(1);
            assertThat(f.jdbc().insert(staff, NOTES, Map.of("id", 7, "body", "mine", "amount", 1, "owner_id", "staff-alice"))).isEqualTo(1);
            // The owner column is matched case-insensitively, like SQL identifiers.
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().update(staff, NOTES, Map.of("OWNER_ID", "alice"), Where.all()))
                    .reason()).isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().insert(staff, NOTES,
                    Map.of("id", 8, "body", "x", "amount", 1, "Owner_Id", "alice"))).reason()).isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
            assertThat(rows(f.db(), "SELECT id, owner_id, amount FROM notes WHERE workspace_id = '" + f.a().id() + "' ORDER BY id"))
                    .containsExactly("1|alice|10", "2|staff-alice|21", "3|alice|30", "7|staff-alice|1");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void tableWithoutOwnerColumnIsWorkspaceWideForOwnersAndClosedToOwnScopedRoles(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            ScopedTable ledger = ScopedTable.named("notes").reads(Permission.CUSTOMERS_VIEW).writes(Permission.CUSTOMERS_MANAGE);
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThat(ledger.ownerColumn()).isNull();
            assertThat(f.jdbc().insert(alice, ledger, Map.of("id", 5, "body", "x", "amount", 1, "owner_id", "anyone"))).isEqualTo(1);
            assertThat(f.jdbc().count(alice, ledger, Where.all())).isEqualTo(4);
            TenantContext staff = tenants.as(Role.STAFF, "alice", f.a());
            for (Runnable call : List.<Runnable>of(
                    () -> f.jdbc().insert(staff, ledger, Map.of("id", 6, "body", "x", "amount", 1, "owner_id", "staff-alice")),
                    () -> f.jdbc().insert(staff, ledger, Map.of("id", 6, "body", "x", "amount", 1)),
                    () -> f.jdbc().update(staff, ledger, Map.of("amount", 0), Where.all()),
                    () -> f.jdbc().delete(staff, ledger, Where.all()),
                    () -> f.jdbc().count(staff, ledger, Where.all()))) {
                AccessDenied e = catchThrowableOfType(AccessDenied.class, call::run);
                assertThat(e.reason()).isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
                assertThat(e).hasMessageContaining("declares no owner column");
            }
            assertThat(rows(f.db(), "SELECT COUNT(*) FROM notes")).containsExactly("5");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void customWorkspaceColumnIsSetScopedAndNeverWritable(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            ScopedTable docs = ScopedTable.named("docs").workspaceColumn("tenant").reads(Permission.FILES_VIEW).writes(Permission.FILES_UPLOAD);
            assertThat(docs.workspaceColumn()).isEqualTo("tenant");
            TenantContext bob = tenants.as(Role.OWNER, "bob", f.b());
            assertThat(f.jdbc().select(bob, docs, "title", Where.all(), r -> r.getString(1))).containsExactly("doc b");
            assertThat(f.jdbc().insert(bob, docs, Map.of("id", 3, "title", "new"))).isEqualTo(1);
            assertThatThrownBy(() -> f.jdbc().insert(bob, docs, Map.of("id", 4, "title", "x", "Tenant", f.a().id())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspace column tenant");
            assertThatThrownBy(() -> f.jdbc().update(bob, docs, Map.of("TENANT", f.a().id()), Where.all()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(f.jdbc().delete(bob, docs, Where.eq("id", 1))).isZero();
            assertThat(rows(f.db(), "SELECT id, tenant, title FROM docs ORDER BY id")).containsExactly(
                    "1|" + f.a().id() + "|doc a", "2|" + f.b().id() + "|doc b", "3|" + f.b().id() + "|new");
            assertThatThrownBy(() -> docs.workspaceColumn("tenant; --")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> docs.ownerColumn("owner id")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void workInATransactionSeesItsContextAndIsRolledBackWhenItThrows(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            List<String> before = rows(f.db(), "SELECT * FROM notes ORDER BY id");
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThat(f.jdbc().inTransaction(alice, ScopedTransaction::context)).isSameAs(alice);
            IllegalStateException thrown = new IllegalStateException("business rule failed");
            assertThatThrownBy(() -> f.jdbc().inTransaction(alice, tx -> {
                assertThat(tx.delete(NOTES, Where.all())).isEqualTo(3);
                throw thrown;
            })).isSameAs(thrown);
            AssertionError error = new AssertionError("an Error also rolls back");
            assertThatThrownBy(() -> f.jdbc().inTransaction(alice, tx -> {
                tx.insert(NOTES, Map.of("id", 9, "body", "x", "amount", 1, "owner_id", "alice"));
                throw error;
            })).isSameAs(error);
            assertThat(rows(f.db(), "SELECT * FROM notes ORDER BY id")).isEqualTo(before);
            int changed = f.jdbc().inTransaction(alice, tx -> tx.insert(NOTES, Map.of("id", 9, "body", "x", "amount", 1, "owner_id", "alice"))
                    + tx.delete(NOTES, Where.eq("id", 1)));
            assertThat(changed).isEqualTo(2);
            assertThat(rows(f.db(), "SELECT id FROM notes ORDER BY id")).containsExactly("2", "3", "4", "9");
        }
    }

    @Test
    void tableMustDeclareItsPermissionsBeforeUse() {
        ScopedTable undeclared = ScopedTable.named("notes");
        assertThatThrownBy(undeclared::readPermission).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(".reads(Permission...)");
        assertThatThrownBy(undeclared::writePermission).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(".writes(Permission...)");
        ScopedTable declared = undeclared.reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE).ownerColumn("owner_id");
        assertThat(declared.readPermission()).isEqualTo(Permission.INVOICES_VIEW);
        assertThat(declared.writePermission()).isEqualTo(Permission.INVOICES_MANAGE);
        assertThat(declared.ownerColumn()).isEqualTo("owner_id");
        assertThat(declared.name()).isEqualTo("notes");
        assertThat(declared.workspaceColumn()).isEqualTo("workspace_id");
        // Each step returns a new definition: a shared constant cannot be changed by later calls.
        assertThat(undeclared.ownerColumn()).isNull();
        assertThat(declared.workspaceColumn("tenant").readPermission()).isEqualTo(Permission.INVOICES_VIEW);
        assertThat(declared.workspaceColumn("tenant").ownerColumn()).isEqualTo("owner_id");
        assertThat(declared.reads(Permission.AUDIT_VIEW).writePermission()).isEqualTo(Permission.INVOICES_MANAGE);
        assertThat(declared.writes(Permission.AUDIT_VIEW).readPermission()).isEqualTo(Permission.INVOICES_VIEW);
        assertThat(declared.reads(Permission.AUDIT_VIEW).ownerColumn()).isEqualTo("owner_id");
        assertThat(declared.writes(Permission.AUDIT_VIEW).ownerColumn()).isEqualTo("owner_id");
        assertThat(declared.ownerColumn("staff_id").readPermission()).isEqualTo(Permission.INVOICES_VIEW);
        assertThat(declared.ownerColumn("staff_id").writePermission()).isEqualTo(Permission.INVOICES_MANAGE);
        assertThat(declared.readPermission()).isEqualTo(Permission.INVOICES_VIEW);
    }

    @Test
    void helperNeedsADataSource() {
        assertThatThrownBy(() -> TenantScopedJdbc.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DataSource");
        assertThatThrownBy(() -> TenantScopedJdbc.builder().dataSource(null)).isInstanceOf(NullPointerException.class);
    }
}
