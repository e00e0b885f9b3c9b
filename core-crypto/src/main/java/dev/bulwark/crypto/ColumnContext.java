package dev.bulwark.crypto;

/** A column of a workspace: the binding used by deterministic encryption and blind indexes. */
public record ColumnContext(String workspaceId, String table, String column) {

    public ColumnContext {
        FieldContext.requireText(workspaceId, "workspaceId");
        FieldContext.requireText(table, "table");
        FieldContext.requireText(column, "column");
    }

    public static ColumnContext of(String workspaceId, String table, String column) {
        return new ColumnContext(workspaceId, table, column);
    }

    byte[] encode(String label) {
        return FieldContext.encode(label, workspaceId, table, column);
    }
}
