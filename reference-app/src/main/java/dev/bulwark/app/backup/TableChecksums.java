package dev.bulwark.app.backup;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Row counts and content checksums of every table in the connection's schema, read in the caller's transaction (so a
 * backup's figures come from the same snapshot as its dump). A table's checksum is the sum, modulo 2^256, of the
 * SHA-256 of each row's canonical encoding: independent of row order and of collation, constant memory, and a
 * changed, missing or extra row changes it. It detects corruption and faulty restores; authenticity comes from the
 * backup's encryption (AEAD), not from this sum.
 */
public final class TableChecksums {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);

    private TableChecksums() {}

    /** One table's figures. */
    public record Figures(long rows, String checksum) {}

    /** The app's tables in the connection's current schema (lower-case names), minus {@code excluded}. */
    public static List<String> tables(Connection c, String schema, Set<String> excluded) throws SQLException {
        List<String> out = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!excluded.contains(name.toLowerCase(Locale.ROOT))) out.add(name);
            }
        }
        out.sort(String.CASE_INSENSITIVE_ORDER);
        return out;
    }

    /** Figures of each table, keyed by lower-case name. */
    public static Map<String, Figures> compute(Connection c, String schema, List<String> tables, Progress progress) throws SQLException {
        Map<String, Figures> out = new TreeMap<>();
        for (String t : tables) {
            out.put(t.toLowerCase(Locale.ROOT), of(c, schema, t));
            progress.step(1);
        }
        return out;
    }

    public static Figures of(Connection c, String schema, String table) throws SQLException {
        MessageDigest sha = sha256();
        BigInteger sum = BigInteger.ZERO;
        long rows = 0;
        try (Statement s = c.createStatement()) {
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + quote(schema) + "." + quote(table))) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                // Column order is part of the encoding: a restore that swaps two columns' values is caught.
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        String v = rs.getString(i);
                        if (v == null) {
                            sha.update((byte) 0);
                        } else {
                            byte[] b = v.getBytes(StandardCharsets.UTF_8);
                            sha.update((byte) 1);
                            sha.update(ByteBuffer.allocate(4).putInt(b.length).array());
                            sha.update(b);
                        }
                    }
                    sum = sum.add(new BigInteger(1, sha.digest())).mod(MOD);
                    rows++;
                }
            }
        }
        byte[] fixed = new byte[32];
        byte[] raw = sum.toByteArray();
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, fixed, 32 - len, len);
        return new Figures(rows, HexFormat.of().formatHex(fixed));
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
