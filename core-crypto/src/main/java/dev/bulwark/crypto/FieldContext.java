package dev.bulwark.crypto;

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
        byte[][] encoded = new byte[parts.length][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            encoded[i] = parts[i].getBytes(StandardCharsets.UTF_8);
            total += 4 + encoded[i].length;
        }
        byte[] out = new byte[total];
        int o = 0;
        for (byte[] b : encoded) {
            out[o++] = (byte) (b.length >>> 24);
            out[o++] = (byte) (b.length >>> 16);
            out[o++] = (byte) (b.length >>> 8);
            out[o++] = (byte) b.length;
            System.arraycopy(b, 0, out, o, b.length);
            o += b.length;
        }
        return out;
    }
}
