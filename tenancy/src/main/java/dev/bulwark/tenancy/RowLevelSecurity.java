package dev.bulwark.tenancy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * PostgreSQL row-level security as a second wall behind {@link TenantScopedJdbc}: even a hand-written query that
 * forgets {@code WHERE workspace_id = ?} sees only the current workspace's rows.
 *
 * <ul>
 *   <li>{@link #policyStatements} / {@link #migrationTemplate}: the DDL for a workspace table (run it as the table
 *       owner, e.g. in a Flyway migration): RLS enabled and forced, one policy
 *       {@code workspace_id = current_setting('bulwark.workspace_id', true)} for reads and writes.</li>
 *   <li>{@link #inWorkspace}: a transaction whose first statement is {@code SET LOCAL bulwark.workspace_id = '<id>'}.
 *       Outside such a transaction the setting is empty and the policy matches no row (fails closed).</li>
 *   <li>{@link #verifyApplicationRole}: a start-up check that the connection's role is not a superuser, has no
 *       BYPASSRLS, does not own (or inherit ownership of) the tables, and that each table has RLS enabled.</li>
 * </ul>
 */
public final class RowLevelSecurity {
    private RowLevelSecurity() {}

    /** The custom setting the policies read. */
    public static final String SETTING = "bulwark.workspace_id";
    /** Name of the policy created on each table. */
    public static final String POLICY = "bulwark_workspace_isolation";

    /** Work on a raw connection inside a workspace-bound transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** The statements that put {@code table} under the workspace policy (idempotent). */
    public static List<String> policyStatements(String table, String workspaceColumn) {
        String t = SqlFragments.tableName(table);
        String col = SqlFragments.identifier(workspaceColumn, "workspace column");
        String predicate = col + " = current_setting('" + SETTING + "', true)";
        return List.of(
                "ALTER TABLE " + t + " ENABLE ROW LEVEL SECURITY",
                // FORCE makes the policy apply to the table owner too (a migration role that runs app code by mistake).
                "ALTER TABLE " + t + " FORCE ROW LEVEL SECURITY",
                "DROP POLICY IF EXISTS " + POLICY + " ON " + t,
                "CREATE POLICY " + POLICY + " ON " + t + " USING (" + predicate + ") WITH CHECK (" + predicate + ")");
    }

    /** Grants the application role plain DML on the table: no ownership, so it can neither alter nor bypass the policy. */
    public static List<String> grantStatements(String table, String applicationRole) {
        return List.of("GRANT SELECT, INSERT, UPDATE, DELETE ON " + SqlFragments.tableName(table) + " TO "
                + SqlFragments.identifier(applicationRole, "application role"));
    }

    /** A migration script for one table, to paste into Flyway/Liquibase. */
    public static String migrationTemplate(String table, String workspaceColumn, String applicationRole) {
        StringBuilder sb = new StringBuilder("-- Row-level security for ").append(table)
                .append(" (Bulwark tenancy). Run as the table owner; the application connects as ")
                .append(applicationRole).append(", which must not own the table.\n");
        for (String s : policyStatements(table, workspaceColumn)) sb.append(s).append(";\n");
        for (String s : grantStatements(table, applicationRole)) sb.append(s).append(";\n");
        return sb.toString();
    }

    /** Applies {@link #policyStatements} on a connection owned by the table owner. */
    public static void enable(Connection ownerConnection, String table, String workspaceColumn) throws SQLException {
        try (Statement s = ownerConnection.createStatement()) {
            for (String sql : policyStatements(table, workspaceColumn)) s.execute(sql);
        }
    }

    /**
     * {@code SET LOCAL bulwark.workspace_id} for the current transaction. The connection must not be in auto-commit
     * (the setting would vanish at once). The id is validated to {@code [A-Za-z0-9_-]{1,64}}, so inlining it is safe.
     */
    public static void setLocal(Connection connection, String workspaceId) throws SQLException {
        Ids.workspaceId(workspaceId);
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("SET LOCAL needs a transaction: call setAutoCommit(false) first, or use inWorkspace");
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCAL " + SETTING + " = '" + workspaceId + "'");
        }
    }

    /** Runs {@code work} in a transaction bound to the context's workspace; committed on return, rolled back on throw. */
    public static <T> T inWorkspace(DataSource dataSource, TenantContext ctx, SqlWork<T> work) {
        Tenancy.requireContext(ctx);
        Objects.requireNonNull(work, "work");
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                setLocal(c, ctx.workspaceId());
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new TenancyException(TenancyException.Reason.STORAGE,
                    "workspace transaction failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Refuses an application role that could see past the policies: superuser, BYPASSRLS, or owner (directly or by
     * role membership) of any of {@code tables}; also refuses tables without row-level security or without the policy.
     *
     * @throws TenancyException {@code UNSAFE_DATABASE_ROLE} or {@code ROW_LEVEL_SECURITY_MISSING}
     */
    public static void verifyApplicationRole(Connection connection, Collection<String> tables) throws SQLException {
        String role;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_user, r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user")) {
            if (!rs.next()) throw new TenancyException(TenancyException.Reason.UNSAFE_DATABASE_ROLE, "cannot read the current role");
            role = rs.getString(1);
            if (rs.getBoolean(2) || rs.getBoolean(3)) {
                throw new TenancyException(TenancyException.Reason.UNSAFE_DATABASE_ROLE, "database role " + role
                        + " is a superuser or has BYPASSRLS: row-level security does not apply to it; connect the "
                        + "application as a plain role");
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT c.relrowsecurity, pg_has_role(current_user, c.relowner, 'MEMBER'), "
                        + "(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = ?) "
                        + "FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            for (String table : tables) {
                ps.setString(1, POLICY);
                ps.setString(2, SqlFragments.tableName(table));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new TenancyException(TenancyException.Reason.ROW_LEVEL_SECURITY_MISSING, "table " + table + " not found");
                    }
                    if (rs.getBoolean(2)) {
                        throw new TenancyException(TenancyException.Reason.UNSAFE_DATABASE_ROLE, "database role " + role
                                + " owns table " + table + " (or is a member of its owner) and could disable its policy");
                    }
                    if (!rs.getBoolean(1) || rs.getLong(3) == 0) {
                        throw new TenancyException(TenancyException.Reason.ROW_LEVEL_SECURITY_MISSING, "table " + table
                                + " has no row-level security policy " + POLICY + "; apply RowLevelSecurity.policyStatements");
                    }
                }
            }
        }
    }
}
