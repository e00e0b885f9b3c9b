package dev.bulwark.tenancy;

import java.util.Arrays;
import java.util.List;

/**
 * A condition on a workspace table, with its parameters. {@link TenantScopedJdbc} always ANDs it with the workspace
 * predicate inside parentheses; it is checked on construction (see {@link #of}) so it cannot escape them.
 */
public final class Where {
    private static final Where ALL = new Where(null, List.of());

    private final String sql;
    private final List<Object> args;

    private Where(String sql, List<Object> args) {
        this.sql = sql;
        this.args = args;
    }

    /** Every row of the workspace (still only the context's workspace). */
    public static Where all() {
        return ALL;
    }

    /**
     * A plain condition with {@code ?} placeholders, e.g. {@code Where.of("status = ? AND starts_at >= ?", s, t)}.
     * Rejected with {@link IllegalArgumentException}: quotes (pass values as parameters), {@code ;}, comments,
     * unbalanced parentheses, subqueries and set operations, and a placeholder count that does not match.
     */
    public static Where of(String condition, Object... args) {
        int params = SqlFragments.condition(condition);
        Object[] a = args == null ? new Object[] {null} : args;
        if (params != a.length) {
            throw new IllegalArgumentException("condition has " + params + " ? placeholders but " + a.length + " arguments were given");
        }
        return new Where(condition, Arrays.asList(a.clone()));
    }

    /** {@code column = ?}. */
    public static Where eq(String column, Object value) {
        return new Where(SqlFragments.identifier(column, "column") + " = ?", java.util.Collections.singletonList(value));
    }

    String sql() {
        return sql;
    }

    List<Object> args() {
        return args;
    }

    boolean isAll() {
        return sql == null;
    }

    @Override
    public String toString() {
        // Parameters may hold personal data: never print them.
        return sql == null ? "Where[all]" : "Where[" + sql + ", " + args.size() + " parameters]";
    }
}
