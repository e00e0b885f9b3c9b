package dev.bulwark.app.backup;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The keyset store is never inside a database backup. If it were, a backup taken before a workspace was deleted would
 * carry that workspace's (master-key wrapped) keyset, and crypto-shredding would be undone by anyone holding the
 * master key and an old backup. Instead one escrow file next to the backups, {@code keyring.bwk}, holds the store's
 * current rows (keysets wrapped under the master key, destroyed ones as tombstones without material). It is replaced
 * atomically after every backup and every workspace deletion, so no old copy of a destroyed keyset is kept.
 */
public final class KeyringEscrow {
    public static final String FILE = "keyring.bwk";
    static final String TABLE = "bulwark_keysets";

    private KeyringEscrow() {}

    /** Writes the current keyset store to {@code backupDir/keyring.bwk} (owner-only, atomic replace). Returns rows written. */
    public static int write(Connection owner, Path backupDir) throws IOException, SQLException {
        Files.createDirectories(backupDir);
        Path tmp = backupDir.resolve(".tmp-" + FILE);
        int n = 0;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
             Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("SELECT name, keyset_b64, version, updated_at_ms, destroyed_at_ms FROM " + TABLE + " ORDER BY name")) {
            restrict(tmp);
            while (rs.next()) {
                JsonObject o = new JsonObject().put("name", rs.getString(1)).put("keyset", rs.getString(2)).put("version", rs.getLong(3))
                        .put("updatedAtMs", rs.getLong(4)).put("destroyedAtMs", rs.getLong(5));
                w.write(o.encode());
                w.write('\n');
                n++;
            }
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, backupDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return n;
    }

    /** Loads the escrow into an empty keyset table of a restored database. Returns rows loaded. */
    public static int load(Path escrow, Connection target) throws IOException, SQLException {
        createTableIfMissing(target);
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(escrow, StandardCharsets.UTF_8);
             PreparedStatement ps = target.prepareStatement("INSERT INTO " + TABLE
                     + " (name, keyset_b64, version, updated_at_ms, destroyed_at_ms) VALUES (?, ?, ?, ?, ?)")) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonObject o = new JsonObject(line);
                ps.setString(1, o.getString("name"));
                ps.setString(2, o.getString("keyset"));
                ps.setLong(3, o.getLong("version"));
                ps.setLong(4, o.getLong("updatedAtMs"));
                ps.setLong(5, o.getLong("destroyedAtMs"));
                ps.executeUpdate();
                n++;
            }
        }
        return n;
    }

    /** The keyset table from core-crypto's own DDL (an H2 backup leaves the table out, a PostgreSQL one keeps it empty). */
    static void createTableIfMissing(Connection c) throws IOException, SQLException {
        String ddl;
        try (var in = dev.bulwark.crypto.JdbcKeysetStore.class.getResourceAsStream(dev.bulwark.crypto.JdbcKeysetStore.DDL_RESOURCE)) {
            if (in == null) throw new IOException("core-crypto's keyset DDL is missing");
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder clean = new StringBuilder();
        for (String line : ddl.split("\n")) if (!line.strip().startsWith("--")) clean.append(line).append('\n');
        try (Statement s = c.createStatement()) {
            for (String stmt : clean.toString().split(";")) if (!stmt.isBlank()) s.execute(stmt.strip());
        }
    }

    /** The newest destruction time in the live store, to know whether the escrow is stale. */
    public static long lastDestroyedAtMs(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(destroyed_at_ms) FROM " + TABLE)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the parent's ACL applies
        }
    }
}
