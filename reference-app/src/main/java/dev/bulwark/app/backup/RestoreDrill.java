package dev.bulwark.app.backup;

import dev.bulwark.app.keys.EncryptedColumns;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.StreamContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Proves a backup can be restored: decrypts it into a scratch database (a temporary H2 file, or a scratch PostgreSQL
 * database dropped afterwards) and a temporary upload folder, checks every table's row count and checksum and every
 * file's size and checksum against the authenticated manifest, then decrypts a sample of encrypted fields and files
 * with the live keyring. Values of deleted (crypto-shredded) workspaces count as shredded, not as failures: that they
 * stay unreadable is the point. Also does the real {@link #restore}.
 */
public final class RestoreDrill {
    private static final Logger log = LoggerFactory.getLogger(RestoreDrill.class);
    static final int FIELD_SAMPLE_PER_COLUMN = 10;
    static final int FILE_SAMPLE = 20;

    private final BackupService backups;
    private final Clock clock;

    public RestoreDrill(BackupService backups, Clock clock) {
        this.backups = backups;
        this.clock = clock;
    }

    private static final class Figures {
        String database = "?";
        String schemaVersion = "?";
        int tables;
        long rows;
        int files;
        long fileBytes;
        int fieldsSampled, fieldsDecrypted, fieldsShredded, filesSampled, filesDecrypted, filesShredded;
    }

    /** Runs the drill on the newest backup ({@code backupId == null}) or a named one. Never throws: failures are in the report. */
    public DrillReport run(String backupId, Progress progress) {
        Instant start = clock.instant();
        Figures f = new Figures();
        String id = backupId == null ? "latest" : backupId;
        Path scratchFiles = null;
        Scratch scratch = null;
        try {
            BackupService.Entry entry = backups.find(backupId);
            id = entry.id();
            BackupManifest m = backups.manifest(entry);
            f.database = m.database();
            f.schemaVersion = m.schemaVersion();
            checkParts(entry, m);
            scratch = Scratch.create(backups.database(), m);
            progress.phase("Restore database", -1);
            restoreDatabase(entry, m, scratch.db);
            progress.phase("Verify tables", m.tables().size());
            try (Connection c = scratch.db.connect()) {
                if (m.database().equals("postgresql")) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET row_security = off");
                    }
                }
                verifyTables(c, m, f, progress);
                scratchFiles = Files.createTempDirectory("bulwark-drill-files");
                progress.phase("Verify files", m.files().size());
                restoreFiles(entry, m, scratchFiles, progress);
                f.files = m.files().size();
                f.fileBytes = m.totalFileBytes();
                progress.phase("Decrypt samples", -1);
                sampleFields(c, m, f);
                sampleFiles(c, scratchFiles, f);
            }
            int failedFields = f.fieldsSampled - f.fieldsDecrypted - f.fieldsShredded;
            int failedFiles = f.filesSampled - f.filesDecrypted - f.filesShredded;
            if (failedFields > 0 || failedFiles > 0) {
                throw new BackupException(BackupException.Reason.SAMPLE_UNREADABLE, failedFields + " sampled field(s) and " + failedFiles
                        + " sampled file(s) of live workspaces do not decrypt with the current keyring");
            }
            DrillReport r = report(id, start, true, null, null, f);
            log.info("restore drill of {}: {}", id, r.summary());
            return r;
        } catch (BackupException e) {
            DrillReport r = report(id, start, false, e.reason(), e.getMessage(), f);
            log.warn("restore drill of {}: {}", id, r.summary());
            return r;
        } catch (IOException | SQLException | RuntimeException e) {
            DrillReport r = report(id, start, false, BackupException.Reason.RESTORE_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(), f);
            log.warn("restore drill of {}: {}", id, r.summary());
            return r;
        } finally {
            if (scratch != null) scratch.drop();
            BackupService.deleteTree(scratchFiles);
        }
    }

    private DrillReport report(String id, Instant start, boolean passed, BackupException.Reason reason, String message, Figures f) {
        return new DrillReport(id, start, Duration.between(start, clock.instant()), passed, reason, message, f.database, f.schemaVersion,
                f.tables, f.rows, f.files, f.fileBytes, f.fieldsSampled, f.fieldsDecrypted, f.fieldsShredded, f.filesSampled, f.filesDecrypted,
                f.filesShredded);
    }

    static void checkParts(BackupService.Entry entry, BackupManifest m) throws BackupException {
        for (Map.Entry<String, BackupManifest.Part> p : m.parts().entrySet()) {
            Path file = entry.dir().resolve(p.getKey());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new BackupException(BackupException.Reason.PART_MISSING, p.getKey() + " is missing from backup " + entry.id());
            }
            try {
                long size = Files.size(file);
                if (size != p.getValue().size()) {
                    throw new BackupException(BackupException.Reason.PART_CORRUPT, p.getKey() + " of backup " + entry.id() + " is " + size
                            + " bytes but the manifest says " + p.getValue().size() + (size < p.getValue().size() ? " (truncated)" : ""));
                }
                MessageDigest sha = TableChecksums.sha256();
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) sha.update(buf, 0, n);
                }
                if (!MessageDigest.isEqual(sha.digest(), HexFormat.of().parseHex(p.getValue().sha256()))) {
                    throw new BackupException(BackupException.Reason.PART_CORRUPT, p.getKey() + " of backup " + entry.id()
                            + " does not match the manifest's SHA-256 (corrupted)");
                }
            } catch (IOException e) {
                throw new BackupException(BackupException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private InputStream decrypting(BackupService.Entry entry, String part) throws BackupException, IOException {
        try {
            return backups.keyring().backups().decrypting(Files.newInputStream(entry.dir().resolve(part)), BackupService.context(entry.id(), part));
        } catch (KeyDestroyedException e) {
            throw new BackupException(BackupException.Reason.DECRYPTION_FAILED, "the backups keyset was destroyed");
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.DECRYPTION_FAILED, part + " of " + entry.id() + " is not a Bulwark encrypted stream");
        }
    }

    /** Decrypts the database part into {@code target} (empty). */
    void restoreDatabase(BackupService.Entry entry, BackupManifest m, OwnerDatabase target) throws BackupException, IOException, SQLException {
        if (m.database().equals("postgresql")) {
            PgTools pg = backups.pgTools();
            try (PgTools.Run run = pg.start(target, pg.restoreCommand(target)); InputStream in = decrypting(entry, BackupService.DATABASE_PART)) {
                try (OutputStream stdin = run.stdin()) {
                    in.transferTo(stdin);
                } catch (IOException e) {
                    run.close();
                    if (!run.process.isAlive() && run.finish(1) != null) {
                        throw new BackupException(BackupException.Reason.RESTORE_FAILED, "pg_restore failed: " + run.finish(1));
                    }
                    throw new BackupException(BackupException.Reason.DECRYPTION_FAILED, BackupService.DATABASE_PART + " of " + entry.id()
                            + " fails authenticated decryption (tampered or truncated): " + e.getMessage());
                }
                String err = run.finish(120);
                if (err != null) throw new BackupException(BackupException.Reason.RESTORE_FAILED, "pg_restore failed: " + err);
            }
            return;
        }
        try (InputStream raw = decrypting(entry, BackupService.DATABASE_PART); Connection c = target.connect(); Statement s = c.createStatement()) {
            DataInputStream in = new DataInputStream(raw);
            try {
                byte[] magic = in.readNBytes(BackupService.H2_MAGIC.length());
                if (!new String(magic, StandardCharsets.US_ASCII).equals(BackupService.H2_MAGIC)) {
                    throw new BackupException(BackupException.Reason.RESTORE_FAILED, "the database part is not an H2 script");
                }
                while (true) {
                    int len = in.readInt();
                    if (len == -1) break;
                    if (len < 0 || len > 256 * 1024 * 1024) throw new BackupException(BackupException.Reason.RESTORE_FAILED, "bad statement length");
                    s.execute(new String(in.readNBytes(len), StandardCharsets.UTF_8));
                }
                if (in.read() != -1) throw new BackupException(BackupException.Reason.RESTORE_FAILED, "data after the end of the script");
            } catch (IOException e) {
                throw new BackupException(BackupException.Reason.DECRYPTION_FAILED, BackupService.DATABASE_PART + " of " + entry.id()
                        + " fails authenticated decryption (tampered or truncated)");
            } catch (SQLException e) {
                throw new BackupException(BackupException.Reason.RESTORE_FAILED, "replaying the H2 script failed: " + e.getMessage());
            }
        }
    }

    private static void verifyTables(Connection c, BackupManifest m, Figures f, Progress progress) throws SQLException, BackupException {
        String version = BackupService.schemaVersion(c, m.schema());
        if (!version.equals(m.schemaVersion())) {
            throw new BackupException(BackupException.Reason.TABLE_MISMATCH, "schema version " + version + " restored, manifest says " + m.schemaVersion());
        }
        List<String> tables = TableChecksums.tables(c, m.schema(), Set.copyOf(m.dataExcluded()));
        Set<String> restored = new java.util.TreeSet<>();
        for (String t : tables) restored.add(t.toLowerCase(Locale.ROOT));
        if (!restored.equals(m.tables().keySet())) {
            Set<String> missing = new java.util.TreeSet<>(m.tables().keySet());
            missing.removeAll(restored);
            Set<String> extra = new java.util.TreeSet<>(restored);
            extra.removeAll(m.tables().keySet());
            throw new BackupException(BackupException.Reason.TABLE_MISMATCH, "restored tables differ from the manifest: missing " + missing + ", unexpected " + extra);
        }
        for (String t : tables) {
            TableChecksums.Figures got = TableChecksums.of(c, m.schema(), t);
            TableChecksums.Figures want = m.tables().get(t.toLowerCase(Locale.ROOT));
            if (got.rows() != want.rows()) {
                throw new BackupException(BackupException.Reason.TABLE_MISMATCH, "table " + t.toLowerCase(Locale.ROOT) + ": " + got.rows()
                        + " rows restored, manifest says " + want.rows());
            }
            if (!got.checksum().equals(want.checksum())) {
                throw new BackupException(BackupException.Reason.TABLE_MISMATCH, "table " + t.toLowerCase(Locale.ROOT) + ": content checksum differs from the manifest");
            }
            f.tables++;
            f.rows += got.rows();
            progress.step(1);
        }
    }

    /** Decrypts the files part into {@code dir}, checking each file against the manifest. */
    void restoreFiles(BackupService.Entry entry, BackupManifest m, Path dir, Progress progress) throws BackupException {
        Map<String, BackupManifest.FileEntry> expected = new HashMap<>();
        for (BackupManifest.FileEntry e : m.files()) expected.put(e.path(), e);
        int seen = 0;
        try (InputStream raw = decrypting(entry, BackupService.FILES_PART)) {
            DataInputStream in = new DataInputStream(raw);
            byte[] magic = in.readNBytes(BackupService.FILES_MAGIC.length());
            if (!new String(magic, StandardCharsets.US_ASCII).equals(BackupService.FILES_MAGIC)) {
                throw new BackupException(BackupException.Reason.FILE_MISMATCH, "the files part is not a Bulwark file archive");
            }
            byte[] buf = new byte[1 << 16];
            while (true) {
                String rel = in.readUTF();
                if (rel.isEmpty()) break;
                long size = in.readLong();
                BackupManifest.FileEntry want = expected.get(rel);
                Path target = dir.resolve(rel).normalize();
                if (want == null || !target.startsWith(dir) || size != want.size()) {
                    throw new BackupException(BackupException.Reason.FILE_MISMATCH, "file " + rel + " in the archive is not in the manifest (or its size differs)");
                }
                Files.createDirectories(target.getParent());
                MessageDigest sha = TableChecksums.sha256();
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    long left = size;
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) throw new EOFException();
                        out.write(buf, 0, n);
                        sha.update(buf, 0, n);
                        left -= n;
                    }
                }
                if (!MessageDigest.isEqual(sha.digest(), HexFormat.of().parseHex(want.sha256()))) {
                    throw new BackupException(BackupException.Reason.FILE_MISMATCH, "file " + rel + " does not match its checksum in the manifest");
                }
                seen++;
                progress.step(1);
            }
            if (in.read() != -1) throw new BackupException(BackupException.Reason.FILE_MISMATCH, "data after the end of the file archive");
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.DECRYPTION_FAILED, BackupService.FILES_PART + " of " + entry.id()
                    + " fails authenticated decryption (tampered or truncated)");
        }
        if (seen != expected.size()) {
            throw new BackupException(BackupException.Reason.FILE_MISMATCH, seen + " files restored, the manifest lists " + expected.size());
        }
    }

    private void sampleFields(Connection c, BackupManifest m, Figures f) throws SQLException {
        for (EncryptedColumns col : EncryptedColumns.ALL) {
            if (!m.tables().containsKey(col.table())) continue;
            String sql = "SELECT " + (col.workspaceScoped() ? "workspace_id" : "'" + EncryptedColumns.PLATFORM + "'") + ", " + col.idColumn() + ", "
                    + col.column() + " FROM " + TableChecksums.quote(m.schema()) + "." + tableName(c, m.schema(), col.table()) + " WHERE " + col.column()
                    + " IS NOT NULL ORDER BY " + col.idColumn() + " LIMIT " + FIELD_SAMPLE_PER_COLUMN;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    String ws = rs.getString(1);
                    f.fieldsSampled++;
                    try {
                        col.cipher(backups.keyring(), ws).decrypt(rs.getString(3), col.context(ws, rs.getString(2)));
                        f.fieldsDecrypted++;
                    } catch (DecryptionException e) {
                        if (e.reason() == DecryptionException.Reason.KEY_DESTROYED || shredded(ws)) f.fieldsShredded++;
                    } catch (RuntimeException e) {
                        if (shredded(ws)) f.fieldsShredded++;
                    }
                }
            }
        }
    }

    private boolean shredded(String ws) {
        return ws != null && KeysetName.isValidWorkspaceId(ws) && backups.keyring().isDestroyed(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, ws));
    }

    private void sampleFiles(Connection c, Path dir, Figures f) throws SQLException, IOException {
        String schema = c.getSchema();
        String table;
        try {
            table = tableName(c, schema, "bulwark_upload");
        } catch (SQLException e) {
            return;
        }
        Map<String, Path> byName = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).forEach(p -> byName.put(p.getFileName().toString(), p));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT blob_id, workspace_id FROM " + TableChecksums.quote(schema) + "." + table
                + " ORDER BY blob_id LIMIT " + FILE_SAMPLE); ResultSet rs = ps.executeQuery()) {
            byte[] buf = new byte[1 << 16];
            while (rs.next()) {
                Path p = byName.get(rs.getString(1));
                if (p == null) continue; // deleted between the database snapshot and the file copy
                String ws = rs.getString(2);
                f.filesSampled++;
                try (InputStream in = backups.keyring().workspaceFiles(ws).decrypting(Files.newInputStream(p), StreamContext.of(ws, rs.getString(1)))) {
                    while (in.read(buf) >= 0) {
                        // read to the end: every segment is authenticated
                    }
                    f.filesDecrypted++;
                } catch (KeyDestroyedException e) {
                    f.filesShredded++;
                } catch (IOException | RuntimeException e) {
                    if (shredded(ws)) f.filesShredded++;
                }
            }
        }
    }

    /** The table's name as the database stores it (upper case on H2), quoted. */
    static String tableName(Connection c, String schema, String lower) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String n = rs.getString("TABLE_NAME");
                if (n.equalsIgnoreCase(lower)) return TableChecksums.quote(n);
            }
        }
        throw new SQLException("table " + lower + " not found");
    }

    // ---------------------------------------------------------------- scratch database

    private static final class Scratch {
        final OwnerDatabase db;
        private final OwnerDatabase admin;
        private final String pgDatabase;
        private final Path h2Dir;

        private Scratch(OwnerDatabase db, OwnerDatabase admin, String pgDatabase, Path h2Dir) {
            this.db = db;
            this.admin = admin;
            this.pgDatabase = pgDatabase;
            this.h2Dir = h2Dir;
        }

        static Scratch create(OwnerDatabase source, BackupManifest m) throws IOException, SQLException {
            if (m.database().equals("postgresql")) {
                byte[] r = new byte[6];
                new SecureRandom().nextBytes(r);
                String name = "bulwark_drill_" + HexFormat.of().formatHex(r);
                try (Connection c = source.connect(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
                return new Scratch(source.withDatabase(name, m.schema()), source, name, null);
            }
            Path dir = Files.createTempDirectory("bulwark-drill-db");
            OwnerDatabase db = new OwnerDatabase("jdbc:h2:file:" + dir.resolve("drill") + ";DB_CLOSE_ON_EXIT=FALSE", "bulwark", "");
            return new Scratch(db, null, null, dir);
        }

        void drop() {
            if (pgDatabase != null) {
                try (Connection c = admin.connect(); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
                } catch (SQLException e) {
                    log.warn("cannot drop the scratch database {}: {}", pgDatabase, e.getMessage());
                }
            }
            if (h2Dir != null) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                } catch (SQLException ignored) {
                    // already closed
                }
                BackupService.deleteTree(h2Dir);
            }
        }
    }

    // ---------------------------------------------------------------- real restore

    /** What a restore did. */
    public record RestoreResult(String backupId, int tables, long rows, int files, int keysets) {}

    /**
     * Restores a backup into an EMPTY target database and an empty upload folder, then loads the keyset escrow, and
     * verifies tables and files against the manifest. Refuses without {@code confirmed} or when the target holds tables.
     */
    public RestoreResult restore(String backupId, OwnerDatabase target, Path targetFilesDir, Path escrow, boolean confirmed, Progress progress)
            throws BackupException {
        if (!confirmed) throw new BackupException(BackupException.Reason.TARGET_REFUSED, "restore overwrites nothing but needs --confirm to run");
        BackupService.Entry entry = backups.find(backupId);
        BackupManifest m = backups.manifest(entry);
        checkParts(entry, m);
        if (!Files.isRegularFile(escrow)) {
            throw new BackupException(BackupException.Reason.PART_MISSING, "the keyset escrow " + escrow + " is missing: without it no restored value decrypts");
        }
        try {
            try (Connection c = target.connect()) {
                String schema = m.database().equals("postgresql") ? m.schema() : target.schema(c);
                if (!TableChecksums.tables(c, schema, Set.of()).isEmpty()) {
                    throw new BackupException(BackupException.Reason.TARGET_REFUSED, "the target database already has tables in schema " + schema
                            + "; restore only into an empty database");
                }
            }
            if (Files.exists(targetFilesDir)) {
                try (Stream<Path> s = Files.list(targetFilesDir)) {
                    if (s.findAny().isPresent()) {
                        throw new BackupException(BackupException.Reason.TARGET_REFUSED, "the target upload folder " + targetFilesDir + " is not empty");
                    }
                }
            }
            progress.phase("Restore database", -1);
            restoreDatabase(entry, m, target);
            int keysets;
            Figures f = new Figures();
            try (Connection c = target.connect()) {
                if (m.database().equals("postgresql")) {
                    try (Statement s = c.createStatement()) {
                        s.execute("SET search_path TO " + TableChecksums.quote(m.schema()));
                    }
                }
                keysets = KeyringEscrow.load(escrow, c);
                progress.phase("Verify tables", m.tables().size());
                verifyTables(c, m, f, progress);
            }
            Files.createDirectories(targetFilesDir);
            progress.phase("Restore files", m.files().size());
            restoreFiles(entry, m, targetFilesDir, progress);
            log.warn("backup {} restored into {} ({} tables, {} rows, {} files, {} keysets)", entry.id(), target, f.tables, f.rows, m.files().size(), keysets);
            return new RestoreResult(entry.id(), f.tables, f.rows, m.files().size(), keysets);
        } catch (IOException | SQLException e) {
            throw new BackupException(BackupException.Reason.RESTORE_FAILED, "restore of " + entry.id() + " failed: " + e.getMessage(), e);
        }
    }
}
