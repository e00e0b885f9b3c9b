package dev.bulwark.tenancy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks the small SQL pieces a developer hands to {@link TenantScopedJdbc}, so none can step outside the workspace
 * predicate: values go in as {@code ?} parameters, and a condition cannot close the helper's parenthesis, start a
 * second statement, comment out the rest, or read other rows through a subquery or UNION.
 */
final class SqlFragments {
    private SqlFragments() {}

    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Pattern FORBIDDEN_WORD = Pattern.compile(
            "\\b(SELECT|UNION|INTERSECT|EXCEPT|INTO|RETURNING|INSERT|UPDATE|DELETE|DROP|ALTER|CREATE|GRANT|SET|EXEC|EXECUTE|CALL)\\b");
    private static final Pattern ORDER_ITEM = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\s+(ASC|DESC))?", Pattern.CASE_INSENSITIVE);

    static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " must be a plain SQL identifier ([A-Za-z_][A-Za-z0-9_]*), got "
                    + (name == null ? "null" : "'" + printable(name) + "'"));
        }
        return name;
    }

    static String tableName(String name) {
        if (name == null || !QUALIFIED.matcher(name).matches()) {
            throw new IllegalArgumentException("table must be an identifier or schema.identifier, got "
                    + (name == null ? "null" : "'" + printable(name) + "'"));
        }
        return name;
    }

    /** A comma-separated list of column names. */
    static String columns(String list) {
        if (list == null || list.isBlank()) throw new IllegalArgumentException("columns must not be empty");
        StringBuilder sb = new StringBuilder();
        for (String c : list.split(",", -1)) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(identifier(c.trim(), "column"));
        }
        return sb.toString();
    }

    static String orderBy(String list) {
        if (list == null || list.isBlank()) throw new IllegalArgumentException("orderBy must not be empty");
        StringBuilder sb = new StringBuilder();
        for (String c : list.split(",", -1)) {
            String item = c.trim();
            if (!ORDER_ITEM.matcher(item).matches()) {
                throw new IllegalArgumentException("orderBy items must be 'column' or 'column ASC|DESC', got '" + printable(item) + "'");
            }
            if (sb.length() > 0) sb.append(", ");
            sb.append(item.replaceAll("\\s+", " "));
        }
        return sb.toString();
    }

    /** Validates a WHERE condition; returns the number of {@code ?} placeholders. */
    static int condition(String sql) {
        if (sql == null || sql.isBlank()) throw new IllegalArgumentException("condition must not be empty (use Where.all())");
        if (sql.length() > 4000) throw new IllegalArgumentException("condition is longer than 4000 characters");
        int depth = 0;
        int params = 0;
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            switch (ch) {
                case '\'', '"', '`', ';', '\\', '$' -> throw new IllegalArgumentException(
                        "condition must not contain " + ch + ": pass values as ? parameters and keep it one plain condition");
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) throw new IllegalArgumentException("condition has an unmatched ')'");
                }
                case '?' -> params++;
                case '-' -> {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == '-') throw new IllegalArgumentException("condition must not contain comments");
                }
                case '/' -> {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == '*') throw new IllegalArgumentException("condition must not contain comments");
                }
                default -> {
                    if (Character.isISOControl(ch) && ch != '\n' && ch != '\t' && ch != '\r') {
                        throw new IllegalArgumentException("condition contains a control character");
                    }
                }
            }
        }
        if (depth != 0) throw new IllegalArgumentException("condition has an unmatched '('");
        if (FORBIDDEN_WORD.matcher(sql.toUpperCase(Locale.ROOT)).find()) {
            throw new IllegalArgumentException("condition must be a plain boolean expression on this table: subqueries, "
                    + "UNION and other statements would bypass the workspace predicate");
        }
        return params;
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
