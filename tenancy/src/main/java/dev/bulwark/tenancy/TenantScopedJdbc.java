package dev.bulwark.tenancy;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Workspace-scoped data access over plain JDBC (PostgreSQL and H2). Every statement it builds carries
 * {@code workspace_id = ?} bound to the {@link TenantContext}'s workspace, checks the table's permission against
 * the context's role, adds {@code owner = ?} for roles that may only touch their own rows, and refuses to run
 * without a context. Inserts set the workspace column themselves; updates can never change it.
 *
 * <p>On PostgreSQL each unit of work also runs in a transaction that first does
 * {@code SET LOCAL bulwark.workspace_id = '<id>'}, so tables protected by {@link RowLevelSecurity} policies accept
 * the same statements: the predicate here is the first wall, row-level security the second.
 *
 * <pre>{@code
 * TenantScopedJdbc db = TenantScopedJdbc.builder().dataSource(ds).build();
 * List<String> names = db.select(ctx, CUSTOMERS, "name", Where.of("city = ?", city), "name", 100, r -> r.getString(1));
 * db.inTransaction(ctx, tx -> { tx.insert(CUSTOMERS, Map.of("id", id, "name", n)); return null; });
 * }</pre>
 */
public final class TenantScopedJdbc {
    private final DataSource dataSource;
    private volatile Boolean postgres;

    private TenantScopedJdbc(Builder b) {
        this.dataSource = b.dataSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private DataSource dataSource;

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        public TenantScopedJdbc build() {
            if (dataSource == null) throw new IllegalStateException("a DataSource is required: .dataSource(ds)");
            return new TenantScopedJdbc(this);
        }
    }

    /** Work run inside one workspace transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(ScopedTransaction tx) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction bound to the context's workspace: committed if it returns, rolled back if
     * it throws.
     *
     * @throws AccessDenied {@code NO_TENANT_CONTEXT} when {@code ctx} is null (nothing runs)
     */
    public <T> T inTransaction(TenantContext ctx, Work<T> work) {
        Tenancy.requireContext(ctx);
        Objects.requireNonNull(work, "work");
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (isPostgres(c)) RowLevelSecurity.setLocal(c, ctx.workspaceId());
                T result = work.run(new ScopedTransaction(c, ctx));
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
                    "workspace-scoped statement failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    public <T> List<T> select(TenantContext ctx, ScopedTable table, String columns, Where where, RowMapper<T> mapper) {
        return inTransaction(ctx, tx -> tx.select(table, columns, where, mapper));
    }

    public <T> List<T> select(TenantContext ctx, ScopedTable table, String columns, Where where, String orderBy, int limit,
                              RowMapper<T> mapper) {
        return inTransaction(ctx, tx -> tx.select(table, columns, where, orderBy, limit, mapper));
    }

    public long count(TenantContext ctx, ScopedTable table, Where where) {
        return inTransaction(ctx, tx -> tx.count(table, where));
    }

    public int insert(TenantContext ctx, ScopedTable table, Map<String, ?> values) {
        return inTransaction(ctx, tx -> tx.insert(table, values));
    }

    public int update(TenantContext ctx, ScopedTable table, Map<String, ?> values, Where where) {
        return inTransaction(ctx, tx -> tx.update(table, values, where));
    }

    public int delete(TenantContext ctx, ScopedTable table, Where where) {
        return inTransaction(ctx, tx -> tx.delete(table, where));
    }

    private boolean isPostgres(Connection c) throws SQLException {
        Boolean p = postgres;
        if (p == null) {
            p = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            postgres = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "TenantScopedJdbc";
    }
}
