package dev.bulwark.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where an encrypted field value lives: workspace, table, column and row. It is the associated data of the
 * encryption, so a value copied to another row, column, table or workspace no longer decrypts.
 */
public record FieldContext(String workspaceId, String table, String column, String rowId) {

    public FieldContext {
        requireText(workspaceId, "workspaceId");
        requireText(table, "table");
        requireText(column, "column");
        requireText(rowId, "rowId");
    }

    public static FieldContext of(String workspaceId, String table, String column, String rowId) {
        return new FieldContext(workspaceId, table, column, rowId);
    }

    /** The column part alone (for deterministic encryption and blind indexes, which cannot bind a row). */
    public ColumnContext columnContext() {
        return new ColumnContext(workspaceId, table, column);
    }

    byte[] associatedData() {
        return encode("bulwark.field.v1", workspaceId, table, column, rowId);
    }

    static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty()) throw new IllegalArgumentException(name + " must not be empty");
    }

    /** Unambiguous encoding: every part is length-prefixed, so ("ab","c") and ("a","bc") differ. */
    static byte[] encode(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
        return out.toByteArray();
    }
}
