package dev.bulwark.tenancy;

import dev.bulwark.testkit.TestDatabase;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Fixed scenarios of the workspace-scoped helper on H2 and PostgreSQL; TenantScopedJdbcPropertiesIT adds random ones. */
class TenantScopedJdbcIT {
    static final String DDL = "CREATE TABLE notes (id BIGINT PRIMARY KEY, workspace_id VARCHAR(64) NOT NULL, "
            + "owner_id VARCHAR(128) NOT NULL, body VARCHAR(200) NOT NULL, amount INT NOT NULL)";
    static final ScopedTable NOTES = ScopedTable.named("notes").reads(Permission.CUSTOMERS_VIEW)
            .writes(Permission.CUSTOMERS_MANAGE).ownerColumn("owner_id");

    private final TestTenants tenants = new TestTenants();

    private record Fixture(TestDatabase db, TenantScopedJdbc jdbc, Workspace a, Workspace b) implements AutoCloseable {
        @Override
        public void close() {
            db.close();
        }
    }

    private Fixture fixture(TestDatabase.Kind kind) throws SQLException {
        TestDatabase db = kind.open();
        TestTenants.exec(db.dataSource(), DDL);
        Workspace a = tenants.workspace("alice");
        Workspace b = tenants.workspace("bob");
        TestTenants.exec(db.dataSource(),
                "INSERT INTO notes VALUES (1, '" + a.id() + "', 'alice', 'a1', 10)",
                "INSERT INTO notes VALUES (2, '" + a.id() + "', 'staff-alice', 'a2', 20)",
                "INSERT INTO notes VALUES (3, '" + b.id() + "', 'bob', 'b1', 30)",
                "INSERT INTO notes VALUES (4, '" + b.id() + "', 'staff-bob', 'b2', 40)");
        return new Fixture(db, TenantScopedJdbc.builder().dataSource(db.dataSource()).build(), a, b);
    }

    private static List<String> allRows(TestDatabase db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, workspace_id, owner_id, body, amount FROM notes ORDER BY id")) {
            while (rs.next()) out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|" + rs.getInt(5));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void refusesToRunAnyStatementWithoutATenantContext(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            List<String> before = allRows(f.db());
            AtomicBoolean ran = new AtomicBoolean();
            List<Supplier<Object>> calls = List.of(
                    () -> f.jdbc().select(null, NOTES, "id", Where.all(), r -> r.getLong(1)),
                    () -> f.jdbc().count(null, NOTES, Where.all()),
                    () -> f.jdbc().insert(null, NOTES, Map.of("id", 9, "body", "x", "amount", 1, "owner_id", "alice")),
                    () -> f.jdbc().update(null, NOTES, Map.of("amount", 0), Where.all()),
                    () -> f.jdbc().delete(null, NOTES, Where.all()),
                    () -> f.jdbc().inTransaction(null, tx -> ran.getAndSet(true)));
            for (Supplier<Object> call : calls) {
                AccessDenied e = catchThrowableOfType(AccessDenied.class, call::get);
                assertThat(e).isNotNull();
                assertThat(e.reason()).isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
            }
            assertThat(ran).isFalse();
            assertThat(allRows(f.db())).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void foreignWorkspaceRowsAreInvisibleAndUntouchableEvenByIdOrWideCondition(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThat(f.jdbc().select(alice, NOTES, "body", Where.all(), "id", 100, r -> r.getString(1))).containsExactly("a1", "a2");
            assertThat(f.jdbc().select(alice, NOTES, "body", Where.eq("id", 3), r -> r.getString(1))).isEmpty();
            assertThat(f.jdbc().select(alice, NOTES, "body", Where.of("1 = 1 OR id > ?", 0), r -> r.getString(1))).hasSize(2);
            assertThat(f.jdbc().update(alice, NOTES, Map.of("amount", 0), Where.of("id = ? OR id = ?", 3, 4))).isZero();
            assertThat(f.jdbc().delete(alice, NOTES, Where.of("id >= ? OR 1 = 1", 0))).isEqualTo(2);
            assertThat(allRows(f.db())).containsExactly("3|" + f.b().id() + "|bob|b1|30", "4|" + f.b().id() + "|staff-bob|b2|40");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void workspaceColumnIsSetByTheHelperAndCanNeverBeWritten(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            Map<String, Object> moved = new LinkedHashMap<>(Map.of("id", 5, "body", "x", "amount", 1, "owner_id", "alice"));
            moved.put("workspace_id", f.b().id());
            assertThatThrownBy(() -> f.jdbc().insert(alice, NOTES, moved)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> f.jdbc().update(alice, NOTES, Map.of("WORKSPACE_ID", f.b().id()), Where.all()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(f.jdbc().insert(alice, NOTES, Map.of("id", 5, "body", "new", "amount", 1, "owner_id", "alice"))).isEqualTo(1);
            assertThat(allRows(f.db())).contains("5|" + f.a().id() + "|alice|new|1");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void staffSeesAndChangesOnlyRowsAssignedToThem(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            TenantContext staff = tenants.as(Role.STAFF, "alice", f.a());
            assertThat(f.jdbc().select(staff, NOTES, "body", Where.all(), r -> r.getString(1))).containsExactly("a2");
            assertThat(f.jdbc().count(staff, NOTES, Where.all())).isEqualTo(1);
            assertThat(f.jdbc().update(staff, NOTES, Map.of("amount", 7), Where.all())).isEqualTo(1);
            assertThat(f.jdbc().delete(staff, NOTES, Where.eq("id", 1))).isZero();
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().update(staff, NOTES, Map.of("owner_id", "alice"), Where.all())).reason())
                    .isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().insert(staff, NOTES,
                    Map.of("id", 6, "body", "x", "amount", 1, "owner_id", "alice"))).reason()).isEqualTo(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER);
            f.jdbc().insert(staff, NOTES, Map.of("id", 6, "body", "mine", "amount", 1));
            assertThat(allRows(f.db())).contains("1|" + f.a().id() + "|alice|a1|10", "2|" + f.a().id() + "|staff-alice|a2|7",
                    "6|" + f.a().id() + "|staff-alice|mine|1");

            ScopedTable noOwner = ScopedTable.named("notes").reads(Permission.CUSTOMERS_VIEW).writes(Permission.CUSTOMERS_MANAGE);
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().select(staff, noOwner, "id", Where.all(), r -> 1)).reason())
                    .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void rolesWithoutTheTablePermissionAreDeniedAndNothingChanges(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            List<String> before = allRows(f.db());
            TenantContext viewer = tenants.as(Role.VIEWER, "alice", f.a());
            TenantContext accountant = tenants.as(Role.ACCOUNTANT, "alice", f.a());
            assertThat(f.jdbc().count(viewer, NOTES, Where.all())).isEqualTo(2);
            for (TenantContext ctx : List.of(viewer, accountant)) {
                assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().delete(ctx, NOTES, Where.all())).reason())
                        .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
                assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().update(ctx, NOTES, Map.of("amount", 0), Where.all())).reason())
                        .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
            }
            ScopedTable invoices = ScopedTable.named("notes").reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE);
            TenantContext staff = tenants.as(Role.STAFF, "alice", f.a());
            assertThat(catchThrowableOfType(AccessDenied.class, () -> f.jdbc().count(staff, invoices, Where.all())).reason())
                    .isEqualTo(AccessDenied.Reason.MISSING_PERMISSION);
            assertThat(allRows(f.db())).isEqualTo(before);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aFailingUnitOfWorkIsRolledBack(TestDatabase.Kind kind) throws Exception {
        try (Fixture f = fixture(kind)) {
            List<String> before = allRows(f.db());
            TenantContext alice = tenants.as(Role.OWNER, "alice", f.a());
            assertThatThrownBy(() -> f.jdbc().inTransaction(alice, tx -> {
                tx.delete(NOTES, Where.all());
                tx.insert(NOTES, Map.of("id", 3, "body", "dup", "amount", 1, "owner_id", "alice")); // duplicate key
                return null;
            })).isInstanceOf(TenancyException.class);
            assertThat(allRows(f.db())).isEqualTo(before);
        }
    }
}
