package dev.bulwark.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Statements inside one {@link TenantScopedJdbc#inTransaction} unit of work. It never exposes its connection, so
 * everything run through it carries the workspace predicate.
 */
public final class ScopedTransaction {
    private static final int MAX_LIMIT = 10_000;

    private final Connection connection;
    private final TenantContext ctx;

    ScopedTransaction(Connection connection, TenantContext ctx) {
        this.connection = connection;
        this.ctx = ctx;
    }

    public TenantContext context() {
        return ctx;
    }

    public <T> List<T> select(ScopedTable table, String columns, Where where, RowMapper<T> mapper) throws SQLException {
        return select(table, columns, where, null, MAX_LIMIT, mapper);
    }

    /**
     * {@code SELECT columns FROM table WHERE workspace_id = ? [AND owner = ?] AND (where) [ORDER BY orderBy] LIMIT limit}.
     */
    public <T> List<T> select(ScopedTable table, String columns, Where where, String orderBy, int limit, RowMapper<T> mapper)
            throws SQLException {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
        StringBuilder sql = new StringBuilder("SELECT ").append(SqlFragments.columns(columns)).append(" FROM ").append(table.name());
        List<Object> args = new ArrayList<>();
        scope(sql, args, table, table.readPermission(), where);
        if (orderBy != null) sql.append(" ORDER BY ").append(SqlFragments.orderBy(orderBy));
        sql.append(" LIMIT ").append(limit);
        try (PreparedStatement ps = prepare(sql.toString(), args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(mapper.map(rs));
            return out;
        }
    }

    public long count(ScopedTable table, Where where) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(table.name());
        List<Object> args = new ArrayList<>();
        scope(sql, args, table, table.readPermission(), where);
        try (PreparedStatement ps = prepare(sql.toString(), args); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Inserts one row into the context's workspace. The workspace column is set here and must not be in
     * {@code values}; for a role with {@link Scope#OWN}, the owner column is set to the member (or must already be).
     */
    public int insert(ScopedTable table, Map<String, ?> values) throws SQLException {
        Scope scope = ctx.require(table.writePermission());
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("values must not be empty");
        StringBuilder cols = new StringBuilder(table.workspaceColumn());
        StringBuilder marks = new StringBuilder("?");
        List<Object> args = new ArrayList<>();
        args.add(ctx.workspaceId());
        boolean ownerSet = false;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String col = checkWritableColumn(table, e.getKey());
            if (col.equalsIgnoreCase(table.ownerColumn() == null ? "" : table.ownerColumn())) {
                ownerSet = true;
                if (scope == Scope.OWN && !ctx.memberId().equals(e.getValue())) throw notAssigned(table);
            }
            cols.append(", ").append(col);
            marks.append(", ?");
            args.add(e.getValue());
        }
        if (scope == Scope.OWN && !ownerSet) {
            if (table.ownerColumn() == null) throw ownScopeWithoutOwnerColumn(table, table.writePermission());
            cols.append(", ").append(table.ownerColumn());
            marks.append(", ?");
            args.add(ctx.memberId());
        }
        String sql = "INSERT INTO " + table.name() + " (" + cols + ") VALUES (" + marks + ")";
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** Updates matching rows of the context's workspace. Neither the workspace column nor (for OWN) the owner can change. */
    public int update(ScopedTable table, Map<String, ?> values, Where where) throws SQLException {
        if (values == null || values.isEmpty()) throw new IllegalArgumentException("values must not be empty");
        Scope scope = ctx.require(table.writePermission());
        StringBuilder sql = new StringBuilder("UPDATE ").append(table.name()).append(" SET ");
        List<Object> args = new ArrayList<>();
        boolean first = true;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String col = checkWritableColumn(table, e.getKey());
            if (scope == Scope.OWN && col.equalsIgnoreCase(table.ownerColumn()) && !ctx.memberId().equals(e.getValue())) {
                throw notAssigned(table);
            }
            if (!first) sql.append(", ");
            sql.append(col).append(" = ?");
            args.add(e.getValue());
            first = false;
        }
        scope(sql, args, table, table.writePermission(), where);
        try (PreparedStatement ps = prepare(sql.toString(), args)) {
            return ps.executeUpdate();
        }
    }

    public int delete(ScopedTable table, Where where) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(table.name());
        List<Object> args = new ArrayList<>();
        scope(sql, args, table, table.writePermission(), where);
        try (PreparedStatement ps = prepare(sql.toString(), args)) {
            return ps.executeUpdate();
        }
    }

    /** Appends the WHERE clause: workspace predicate, owner predicate for OWN scope, then the caller's condition. */
    private void scope(StringBuilder sql, List<Object> args, ScopedTable table, Permission permission, Where where) {
        if (where == null) throw new IllegalArgumentException("where must not be null (use Where.all())");
        Scope scope = ctx.require(permission);
        sql.append(" WHERE ").append(table.workspaceColumn()).append(" = ?");
        args.add(ctx.workspaceId());
        if (scope == Scope.OWN) {
            if (table.ownerColumn() == null) throw ownScopeWithoutOwnerColumn(table, permission);
            sql.append(" AND ").append(table.ownerColumn()).append(" = ?");
            args.add(ctx.memberId());
        }
        if (!where.isAll()) {
            sql.append(" AND (").append(where.sql()).append(')');
            args.addAll(where.args());
        }
    }

    private static String checkWritableColumn(ScopedTable table, String column) {
        SqlFragments.identifier(column, "column");
        if (column.equalsIgnoreCase(table.workspaceColumn())) {
            throw new IllegalArgumentException("the workspace column " + table.workspaceColumn()
                    + " is set by the helper from the tenant context and can never be written directly");
        }
        return column;
    }

    private AccessDenied notAssigned(ScopedTable table) {
        return new AccessDenied(AccessDenied.Reason.NOT_ASSIGNED_TO_MEMBER, "role " + ctx.role()
                + " may only write rows of " + table.name() + " assigned to the member");
    }

    private AccessDenied ownScopeWithoutOwnerColumn(ScopedTable table, Permission permission) {
        return new AccessDenied(AccessDenied.Reason.MISSING_PERMISSION, "role " + ctx.role() + " has " + permission
                + " only for its own rows, and table " + table.name() + " declares no owner column");
    }

    private PreparedStatement prepare(String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
