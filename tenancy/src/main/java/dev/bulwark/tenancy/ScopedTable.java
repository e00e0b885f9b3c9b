package dev.bulwark.tenancy;

import java.util.Objects;

/**
 * A workspace table as {@link TenantScopedJdbc} sees it: its name, the workspace column, the permissions that reads
 * and writes need, and (optionally) the column naming the member a row is assigned to, which is how a role with
 * {@link Scope#OWN} sees only its own rows.
 *
 * <pre>{@code
 * static final ScopedTable APPOINTMENTS = ScopedTable.named("appointments")
 *         .reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE).ownerColumn("staff_member_id");
 * }</pre>
 */
public final class ScopedTable {
    private final String name;
    private final String workspaceColumn;
    private final Permission read;
    private final Permission write;
    private final String ownerColumn;

    private ScopedTable(String name, String workspaceColumn, Permission read, Permission write, String ownerColumn) {
        this.name = name;
        this.workspaceColumn = workspaceColumn;
        this.read = read;
        this.write = write;
        this.ownerColumn = ownerColumn;
    }

    /** Starts a definition; {@link #reads} and {@link #writes} must be set before use. */
    public static ScopedTable named(String table) {
        return new ScopedTable(SqlFragments.tableName(table), "workspace_id", null, null, null);
    }

    public ScopedTable workspaceColumn(String column) {
        return new ScopedTable(name, SqlFragments.identifier(column, "workspace column"), read, write, ownerColumn);
    }

    public ScopedTable reads(Permission permission) {
        return new ScopedTable(name, workspaceColumn, Objects.requireNonNull(permission, "permission"), write, ownerColumn);
    }

    public ScopedTable writes(Permission permission) {
        return new ScopedTable(name, workspaceColumn, read, Objects.requireNonNull(permission, "permission"), ownerColumn);
    }

    /** The column holding the member id a row belongs to; without it, roles with {@link Scope#OWN} get nothing. */
    public ScopedTable ownerColumn(String column) {
        return new ScopedTable(name, workspaceColumn, read, write, SqlFragments.identifier(column, "owner column"));
    }

    public String name() {
        return name;
    }

    public String workspaceColumn() {
        return workspaceColumn;
    }

    public Permission readPermission() {
        return require(read, "reads");
    }

    public Permission writePermission() {
        return require(write, "writes");
    }

    /** The owner column, or {@code null}. */
    public String ownerColumn() {
        return ownerColumn;
    }

    private Permission require(Permission p, String method) {
        if (p == null) {
            throw new IllegalStateException("ScopedTable " + name + " has no permission for " + method
                    + ": declare it with ." + method + "(Permission...)");
        }
        return p;
    }

    @Override
    public String toString() {
        return "ScopedTable[" + name + "]";
    }
}
