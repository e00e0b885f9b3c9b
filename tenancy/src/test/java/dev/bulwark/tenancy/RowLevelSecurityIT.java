package dev.bulwark.tenancy;

import dev.bulwark.testkit.DataSources;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The second wall on real PostgreSQL: the application connects as a plain role that does not own the table
 * ({@code SET ROLE} from the superuser test login), and even raw SQL that forgets the workspace predicate sees
 * and changes only the current workspace's rows.
 */
class RowLevelSecurityIT {
    private TestDatabase db;
    private String appRole;
    private String ownerRole;
    private String bypassRole;
    private DataSource app;
    private final TestTenants tenants = new TestTenants();
    private Workspace a;
    private Workspace b;

    @BeforeEach
    void setUp() throws SQLException {
        db = TestDatabase.Kind.POSTGRESQL.open();
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        appRole = "bw_app_" + suffix;
        ownerRole = "bw_owner_" + suffix;
        bypassRole = "bw_bypass_" + suffix;
        a = tenants.workspace("alice");
        b = tenants.workspace("bob");
        TestTenants.exec(db.dataSource(),
                "CREATE ROLE " + appRole + " NOLOGIN",
                "CREATE ROLE " + ownerRole + " NOLOGIN",
                "GRANT USAGE ON SCHEMA " + db.schema() + " TO " + appRole + ", " + ownerRole,
                "CREATE TABLE invoices (id BIGINT PRIMARY KEY, workspace_id VARCHAR(64) NOT NULL, amount INT NOT NULL)",
                "INSERT INTO invoices VALUES (1, '" + a.id() + "', 100), (2, '" + a.id() + "', 200), (3, '" + b.id() + "', 300)");
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            RowLevelSecurity.enable(c, "invoices", "workspace_id");
            for (String g : RowLevelSecurity.grantStatements("invoices", appRole)) s.execute(g);
        }
        app = asRole(appRole);
    }

    @AfterEach
    void tearDown() throws SQLException {
        db.close();
        try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + appRole);
            s.execute("DROP ROLE IF EXISTS " + ownerRole);
            s.execute("DROP ROLE IF EXISTS " + bypassRole);
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getLong(1) + ":" + rs.getString(2));
        }
        return out;
    }

    @Test
    void rawQueryThatForgetsThePredicateSeesOnlyTheCurrentWorkspace() {
        TenantContext alice = tenants.as(Role.OWNER, "alice", a);
        TenantContext bob = tenants.as(Role.OWNER, "bob", b);
        assertThat(RowLevelSecurity.<List<String>>inWorkspace(app, alice, c -> rows(c, "SELECT id, workspace_id FROM invoices ORDER BY id")))
                .containsExactly("1:" + a.id(), "2:" + a.id());
        assertThat(RowLevelSecurity.<List<String>>inWorkspace(app, bob, c -> rows(c, "SELECT id, workspace_id FROM invoices WHERE id IN (1, 2, 3)")))
                .containsExactly("3:" + b.id());
        assertThat(RowLevelSecurity.<List<String>>inWorkspace(app, bob, c -> rows(c, "SELECT count(*), max(workspace_id) FROM invoices")))
                .containsExactly("1:" + b.id());
    }

    @Test
    void withoutTheWorkspaceSettingTheAppRoleSeesNothing() throws SQLException {
        try (Connection c = app.getConnection()) {
            assertThat(rows(c, "SELECT id, workspace_id FROM invoices")).isEmpty();
        }
        // The setting is transaction-local: after a workspace transaction the same connection sees nothing again.
        TenantContext alice = tenants.as(Role.OWNER, "alice", a);
        try (Connection c = app.getConnection()) {
            c.setAutoCommit(false);
            RowLevelSecurity.setLocal(c, alice.workspaceId());
            assertThat(rows(c, "SELECT id, workspace_id FROM invoices")).hasSize(2);
            c.commit();
            c.setAutoCommit(true);
            assertThat(rows(c, "SELECT id, workspace_id FROM invoices")).isEmpty();
        }
        // And a superuser (what the check below refuses) sees everything: the reason the app must not be one.
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(rows(c, "SELECT id, workspace_id FROM invoices")).hasSize(3);
        }
    }

    @Test
    void rawWritesCannotReachOrCreateForeignWorkspaceRows() throws SQLException {
        TenantContext alice = tenants.as(Role.OWNER, "alice", a);
        assertThat(RowLevelSecurity.<Integer>inWorkspace(app, alice, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE invoices SET amount = 0") * 10 + s.executeUpdate("DELETE FROM invoices WHERE id = 3");
            }
        })).isEqualTo(20);
        TenancyException e = catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.inWorkspace(app, alice, c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO invoices VALUES (9, '" + b.id() + "', 1)");
            }
        }));
        assertThat(e).isNotNull();
        assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("42501"); // new row violates row-level security policy
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(rows(c, "SELECT amount, workspace_id FROM invoices ORDER BY id"))
                    .containsExactly("0:" + a.id(), "0:" + a.id(), "300:" + b.id());
        }
    }

    @Test
    void scopedHelperWorksUnderRowLevelSecurityAsTheAppRole() {
        ScopedTable invoices = ScopedTable.named("invoices").reads(Permission.INVOICES_VIEW).writes(Permission.INVOICES_MANAGE);
        TenantScopedJdbc jdbc = TenantScopedJdbc.builder().dataSource(app).build();
        TenantContext accountant = tenants.as(Role.ACCOUNTANT, "bob", b);
        assertThat(jdbc.select(accountant, invoices, "id", Where.all(), r -> r.getLong(1))).containsExactly(3L);
        assertThat(jdbc.insert(accountant, invoices, Map.of("id", 4, "amount", 5))).isEqualTo(1);
        assertThat(jdbc.count(accountant, invoices, Where.all())).isEqualTo(2);
        assertThat(jdbc.count(tenants.as(Role.OWNER, "alice", a), invoices, Where.all())).isEqualTo(2);
    }

    @Test
    void applicationRoleCheckRefusesSuperusersAndOwnersAndUnprotectedTables() throws SQLException {
        try (Connection c = app.getConnection()) {
            RowLevelSecurity.verifyApplicationRole(c, List.of("invoices")); // passes: plain role, RLS on
        }
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.verifyApplicationRole(c, List.of("invoices"))).reason())
                    .isEqualTo(TenancyException.Reason.UNSAFE_DATABASE_ROLE);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE unprotected (id INT, workspace_id VARCHAR(64))");
                s.execute("GRANT SELECT ON unprotected TO " + appRole);
                s.execute("CREATE TABLE owned (id INT, workspace_id VARCHAR(64))");
                s.execute("ALTER TABLE owned OWNER TO " + ownerRole);
                s.execute("GRANT " + ownerRole + " TO " + appRole);
            }
        }
        try (Connection c = app.getConnection()) {
            assertThat(catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.verifyApplicationRole(c, List.of("invoices", "unprotected"))).reason())
                    .isEqualTo(TenancyException.Reason.ROW_LEVEL_SECURITY_MISSING);
            assertThat(catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.verifyApplicationRole(c, List.of("owned"))).reason())
                    .isEqualTo(TenancyException.Reason.UNSAFE_DATABASE_ROLE);
        }
    }

    @Test
    void applicationRoleCheckRefusesBypassRlsUnknownTablesAndIncompletePolicies() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + bypassRole + " NOLOGIN BYPASSRLS");
            s.execute("CREATE TABLE no_policy (id INT, workspace_id VARCHAR(64))");
            s.execute("ALTER TABLE no_policy ENABLE ROW LEVEL SECURITY"); // enabled, but no workspace policy: matches nothing
            s.execute("CREATE TABLE disabled (id INT, workspace_id VARCHAR(64))");
            RowLevelSecurity.enable(c, "disabled", "workspace_id");
            s.execute("ALTER TABLE disabled DISABLE ROW LEVEL SECURITY"); // policy present, but not applied
            s.execute("GRANT SELECT ON no_policy, disabled TO " + appRole);
        }
        try (Connection c = asRole(bypassRole).getConnection()) {
            TenancyException e = catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.verifyApplicationRole(c, List.of("invoices")));
            assertThat(e.reason()).isEqualTo(TenancyException.Reason.UNSAFE_DATABASE_ROLE);
            assertThat(e).hasMessageContaining(bypassRole).hasMessageContaining("BYPASSRLS");
        }
        try (Connection c = app.getConnection()) {
            for (String table : List.of("no_such_table", "no_policy", "disabled")) {
                TenancyException e = catchThrowableOfType(TenancyException.class,
                        () -> RowLevelSecurity.verifyApplicationRole(c, List.of("invoices", table)));
                assertThat(e.reason()).as(table).isEqualTo(TenancyException.Reason.ROW_LEVEL_SECURITY_MISSING);
                assertThat(e).hasMessageContaining("table " + table);
            }
            RowLevelSecurity.verifyApplicationRole(c, List.of("invoices", db.schema() + ".invoices"));
            RowLevelSecurity.verifyApplicationRole(c, List.of());
        }
    }

    @Test
    void workspaceSettingNeedsATransactionAndAWellFormedId() throws SQLException {
        try (Connection c = app.getConnection()) {
            assertThatThrownBy(() -> RowLevelSecurity.setLocal(c, a.id())).isInstanceOf(IllegalStateException.class);
            c.setAutoCommit(false);
            assertThat(catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.setLocal(c, "x'; RESET ROLE; --")).reason())
                    .isEqualTo(TenancyException.Reason.INVALID_INPUT);
            assertThat(catchThrowableOfType(TenancyException.class, () -> RowLevelSecurity.setLocal(c, null)).reason())
                    .isEqualTo(TenancyException.Reason.INVALID_INPUT);
            RowLevelSecurity.setLocal(c, b.id());
            assertThat(rows(c, "SELECT id, current_setting('bulwark.workspace_id') FROM invoices")).containsExactly("3:" + b.id());
            c.rollback();
        }
    }

    @Test
    void workspaceTransactionNeedsAContextAndRollsBackWhenTheWorkThrows() throws SQLException {
        AtomicBoolean ran = new AtomicBoolean();
        assertThat(TenancyScenarios.denied(() -> RowLevelSecurity.inWorkspace(app, null, c -> ran.getAndSet(true))))
                .isEqualTo(AccessDenied.Reason.NO_TENANT_CONTEXT);
        assertThat(ran).isFalse();
        TenantContext alice = tenants.as(Role.OWNER, "alice", a);
        IllegalStateException thrown = new IllegalStateException("business rule failed");
        assertThatThrownBy(() -> RowLevelSecurity.inWorkspace(app, alice, c -> {
            try (Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("DELETE FROM invoices")).isEqualTo(2);
            }
            throw thrown;
        })).isSameAs(thrown);
        assertThat(RowLevelSecurity.<Long>inWorkspace(app, alice, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM invoices")) {
                rs.next();
                return rs.getLong(1);
            }
        })).isEqualTo(2L);
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(rows(c, "SELECT id, workspace_id FROM invoices ORDER BY id")).hasSize(3);
        }
    }

    @Test
    void migrationTemplateContainsThePolicyAndNoOwnershipForTheAppRole() {
        String sql = RowLevelSecurity.migrationTemplate("invoices", "workspace_id", "bulwark_app");
        assertThat(sql).contains("ENABLE ROW LEVEL SECURITY", "FORCE ROW LEVEL SECURITY",
                "USING (workspace_id = current_setting('bulwark.workspace_id', true))", "GRANT SELECT, INSERT, UPDATE, DELETE ON invoices TO bulwark_app");
        assertThat(sql).doesNotContain("OWNER TO");
        assertThatThrownBy(() -> RowLevelSecurity.policyStatements("invoices; DROP", "workspace_id")).isInstanceOf(IllegalArgumentException.class);
    }

    /** A DataSource that connects as the test login and then becomes {@code role} (as an app pool's init SQL would). */
    private DataSource asRole(String role) {
        DataSource base = db.dataSource();
        return DataSources.from(() -> {
            Connection c = base.getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("SET ROLE " + role);
            }
            return c;
        });
    }
}
