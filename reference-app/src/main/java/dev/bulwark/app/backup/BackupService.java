package dev.bulwark.app.backup;

import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.StreamCipher;
import dev.bulwark.crypto.StreamContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Encrypted backups: a consistent snapshot of the database (H2: {@code SCRIPT} inside one repeatable-read transaction;
 * PostgreSQL: {@code pg_dump -Fc} on a snapshot exported from the transaction that also computes the manifest's
 * checksums) and a copy of the upload store, each streamed through the backups keyset (AES-256-GCM-HKDF streaming,
 * bound to the backup id and part name) straight into the backup directory: no plaintext copy ever touches the disk.
 *
 * <p>A backup is a directory {@code <id>/} with {@code database.bwe}, {@code files.bwe} and {@code manifest.bwm};
 * it is written under a temporary name and renamed into place only when complete. The keyset store is left out
 * (see {@link KeyringEscrow}).
 */
public final class BackupService {
    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    public static final String DATABASE_PART = "database.bwe";
    public static final String FILES_PART = "files.bwe";
    public static final String MANIFEST = "manifest.bwm";
    static final String H2_MAGIC = "BWH2SQL1";
    static final String FILES_MAGIC = "BWFILES1";
    /** Backup ids: UTC time, kind, random suffix. Only these names are ever treated as backups. */
    static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[a-z-]{1,20}-[0-9a-f]{6}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Data never written into a database backup: keyset material (see {@link KeyringEscrow}). */
    public static final List<String> DATA_EXCLUDED = List.of(KeyringEscrow.TABLE);

    /** Why a backup was taken. */
    public enum Kind {
        SCHEDULED("scheduled"), MANUAL("manual"), PRE_MIGRATION("pre-migration");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** A stored backup: id, time, directory. */
    public record Entry(String id, Instant time, Path dir) {}

    private final OwnerDatabase db;
    private final Keyring keyring;
    private final Path backupDir;
    private final Path filesDir;
    private final PgTools pg;
    private final Clock clock;

    public BackupService(OwnerDatabase db, Keyring keyring, Path backupDir, Path filesDir, Optional<Path> pgBinDir, Clock clock) {
        this.db = db;
        this.keyring = keyring;
        this.backupDir = backupDir;
        this.filesDir = filesDir;
        this.pg = new PgTools(pgBinDir);
        this.clock = clock;
    }

    public Path backupDir() {
        return backupDir;
    }

    OwnerDatabase database() {
        return db;
    }

    Keyring keyring() {
        return keyring;
    }

    PgTools pgTools() {
        return pg;
    }

    static StreamContext context(String backupId, String part) {
        return StreamContext.of("platform", "backup/" + backupId + "/" + part);
    }

    // ---------------------------------------------------------------- create

    public BackupManifest create(Kind kind, Progress progress) throws BackupException {
        Instant now = clock.instant();
        byte[] rnd = new byte[3];
        new SecureRandom().nextBytes(rnd);
        String id = ID_TIME.format(now) + "-" + kind.label + "-" + HexFormat.of().formatHex(rnd);
        Path partial = backupDir.resolve(".partial-" + id);
        StreamCipher cipher = keyring.backups();
        try {
            Files.createDirectories(backupDir);
            KeyringEscrow.restrict(backupDir);
            Files.createDirectory(partial);
            KeyringEscrow.restrict(partial);
            Map<String, BackupManifest.Part> parts = new LinkedHashMap<>();
            Map<String, TableChecksums.Figures> tables;
            String schemaVersion;
            String schema;
            try (Connection c = db.connect()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    schema = db.schema(c);
                    List<String> names = TableChecksums.tables(c, schema, Set.copyOf(DATA_EXCLUDED));
                    schemaVersion = schemaVersion(c, schema);
                    progress.phase("Database", names.size() * 2L);
                    if (db.postgres()) {
                        try (Statement s = c.createStatement()) {
                            // Error instead of silently dumping an empty policy view of RLS tables.
                            s.execute("SET LOCAL row_security = off");
                        }
                        String snapshot;
                        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
                            rs.next();
                            snapshot = rs.getString(1);
                        }
                        parts.put(DATABASE_PART, writePart(partial, id, DATABASE_PART, cipher, out -> dumpPostgres(schema, snapshot, out)));
                        progress.step(names.size());
                    } else {
                        parts.put(DATABASE_PART, writePart(partial, id, DATABASE_PART, cipher, out -> dumpH2(c, schema, names, out)));
                        progress.step(names.size());
                    }
                    tables = TableChecksums.compute(c, schema, names, progress);
                } finally {
                    c.rollback();
                }
            }
            List<BackupManifest.FileEntry> files = new ArrayList<>();
            List<Path> sources = uploadFiles();
            progress.phase("Files", sources.size());
            parts.put(FILES_PART, writePart(partial, id, FILES_PART, cipher, out -> archiveFiles(sources, files, out, progress)));
            BackupManifest m = new BackupManifest(id, now, kind.label, db.postgres() ? "postgresql" : "h2", schema, schemaVersion, tables,
                    DATA_EXCLUDED, files, parts);
            writePart(partial, id, MANIFEST, cipher, out -> out.write(m.toJson().encode().getBytes(StandardCharsets.UTF_8)));
            fsync(partial);
            Files.move(partial, backupDir.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            fsync(backupDir);
            try (Connection c = db.connect()) {
                KeyringEscrow.write(c, backupDir);
            }
            log.info("backup {} written: {} tables, {} rows, {} files ({} bytes)", id, tables.size(), m.totalRows(), files.size(), m.totalFileBytes());
            return m;
        } catch (SQLException e) {
            deleteTree(partial);
            throw new BackupException(BackupException.Reason.DUMP_FAILED, "cannot read the database for backup " + id + ": " + e.getMessage()
                    + (db.postgres() ? " (the backup role needs BYPASSRLS or superuser on PostgreSQL)" : ""), e);
        } catch (DumpFailure e) {
            deleteTree(partial);
            throw new BackupException(BackupException.Reason.DUMP_FAILED, "pg_dump failed for backup " + id + ": " + e.getMessage());
        } catch (IOException e) {
            deleteTree(partial);
            throw new BackupException(BackupException.Reason.IO, "cannot write backup " + id + " under " + backupDir + ": " + e.getMessage(), e);
        }
    }

    private static final class DumpFailure extends IOException {
        DumpFailure(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    private interface PartWriter {
        void write(OutputStream plaintext) throws IOException, SQLException;
    }

    /** Encrypts what {@code writer} produces into {@code dir/name}; returns the ciphertext's size and SHA-256. */
    private BackupManifest.Part writePart(Path dir, String id, String name, StreamCipher cipher, PartWriter writer) throws IOException, SQLException {
        Path file = dir.resolve(name);
        MessageDigest sha = TableChecksums.sha256();
        long[] size = {0};
        try (OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            KeyringEscrow.restrict(file);
            OutputStream counting = new FilterOutputStream(new BufferedOutputStream(raw, 1 << 16)) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    sha.update((byte) b);
                    size[0]++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    sha.update(b, off, len);
                    size[0] += len;
                }
            };
            try (OutputStream enc = cipher.encrypting(counting, context(id, name))) {
                writer.write(enc);
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return new BackupManifest.Part(size[0], HexFormat.of().formatHex(sha.digest()));
    }

    /** H2: the SCRIPT result set (one SQL statement per row), length-prefixed, ending with -1. Same transaction as the checksums. */
    private static void dumpH2(Connection c, String schema, List<String> tables, OutputStream out) throws IOException, SQLException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(H2_MAGIC.getBytes(StandardCharsets.US_ASCII));
        StringBuilder sql = new StringBuilder("SCRIPT NOPASSWORDS NOSETTINGS");
        if (!tables.isEmpty()) {
            sql.append(" TABLE ");
            for (int i = 0; i < tables.size(); i++) {
                if (i > 0) sql.append(", ");
                sql.append(TableChecksums.quote(schema)).append('.').append(TableChecksums.quote(tables.get(i)));
            }
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            while (rs.next()) {
                byte[] stmt = rs.getString(1).getBytes(StandardCharsets.UTF_8);
                d.writeInt(stmt.length);
                d.write(stmt);
            }
        }
        d.writeInt(-1);
        d.flush();
    }

    private void dumpPostgres(String schema, String snapshot, OutputStream out) throws IOException {
        try (PgTools.Run run = pg.start(db, pg.dumpCommand(db, schema, snapshot, DATA_EXCLUDED))) {
            run.stdin().close();
            try (InputStream in = run.stdout()) {
                in.transferTo(out);
            }
            String err = run.finish(120);
            if (err != null) throw new DumpFailure(err);
        }
    }

    /** The upload store as one stream: per file its relative path, size and bytes (already encrypted per workspace). */
    private void archiveFiles(List<Path> sources, List<BackupManifest.FileEntry> entries, OutputStream out, Progress progress) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.write(FILES_MAGIC.getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[1 << 16];
        for (Path p : sources) {
            String rel = filesDir.relativize(p).toString().replace('\\', '/');
            long size;
            InputStream in;
            try {
                in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS);
                size = Files.size(p);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // deleted since the listing: the snapshot's metadata may still name it; the drill reports it
            }
            MessageDigest sha = TableChecksums.sha256();
            try (in) {
                d.writeUTF(rel);
                d.writeLong(size);
                long left = size;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) throw new IOException(rel + " shrank while being backed up");
                    d.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    left -= n;
                }
            }
            entries.add(new BackupManifest.FileEntry(rel, size, HexFormat.of().formatHex(sha.digest())));
            progress.step(1);
        }
        d.writeUTF("");
        d.flush();
    }

    private List<Path> uploadFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(filesDir)) return out;
        Files.walkFileTree(filesDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".tmp-")) out.add(file);
                return FileVisitResult.CONTINUE;
            }
        });
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static String schemaVersion(Connection c, String schema) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT \"version\" FROM " + TableChecksums.quote(schema) + "."
                + TableChecksums.quote(historyTable(c, schema)) + " WHERE \"success\" = TRUE AND \"version\" IS NOT NULL ORDER BY \"installed_rank\" DESC")) {
            return rs.next() ? rs.getString(1) : "none";
        } catch (SQLException e) {
            return "none";
        }
    }

    private static String historyTable(Connection c, String schema) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String n = rs.getString("TABLE_NAME");
                if (n.equalsIgnoreCase("flyway_schema_history")) return n;
            }
        }
        return "flyway_schema_history";
    }

    // ---------------------------------------------------------------- list, read, prune

    /** Complete backups, newest first. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(backupDir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(backupDir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!ID.matcher(name).matches() || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue;
                Instant t = Instant.from(ID_TIME.parse(name.substring(0, 16)));
                out.add(new Entry(name, t, p));
            }
        }
        out.sort(Comparator.comparing(Entry::time).thenComparing(Entry::id).reversed());
        return out;
    }

    public Entry find(String idOrNull) throws BackupException {
        try {
            List<Entry> all = list();
            if (idOrNull == null || idOrNull.isBlank()) {
                if (all.isEmpty()) throw new BackupException(BackupException.Reason.NOT_FOUND, "there is no backup in " + backupDir);
                return all.get(0);
            }
            return all.stream().filter(e -> e.id().equals(idOrNull)).findFirst().orElseThrow(() ->
                    new BackupException(BackupException.Reason.NOT_FOUND, "no backup " + idOrNull + " in " + backupDir));
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.IO, "cannot list " + backupDir + ": " + e.getMessage(), e);
        }
    }

    /** Decrypts and authenticates a backup's manifest. */
    public BackupManifest manifest(Entry e) throws BackupException {
        Path f = e.dir().resolve(MANIFEST);
        if (!Files.isRegularFile(f)) throw new BackupException(BackupException.Reason.PART_MISSING, "backup " + e.id() + " has no manifest");
        try (InputStream in = keyring.backups().decrypting(Files.newInputStream(f), context(e.id(), MANIFEST))) {
            BackupManifest m = BackupManifest.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!m.id().equals(e.id())) throw new BackupException(BackupException.Reason.MANIFEST_UNREADABLE, "manifest of " + m.id() + " found in " + e.id());
            return m;
        } catch (KeyDestroyedException ex) {
            throw new BackupException(BackupException.Reason.MANIFEST_UNREADABLE, "the backups keyset was destroyed");
        } catch (IOException ex) {
            throw new BackupException(BackupException.Reason.MANIFEST_UNREADABLE, "the manifest of " + e.id()
                    + " does not authenticate under the backups keyset (tampered, truncated or from another installation)");
        }
    }

    /** Applies the rolling retention; returns the ids deleted. The newest backup is always kept. */
    public List<String> prune(BackupRetention retention) throws BackupException {
        List<Entry> all;
        try {
            all = list();
        } catch (IOException e) {
            throw new BackupException(BackupException.Reason.IO, "cannot list " + backupDir + ": " + e.getMessage(), e);
        }
        List<String> expired = retention.expired(all.stream().map(e -> new BackupRetention.Dated(e.id(), e.time())).toList(), clock.instant());
        List<String> deleted = new ArrayList<>();
        for (Entry e : all) {
            if (!expired.contains(e.id())) continue;
            deleteTree(e.dir());
            deleted.add(e.id());
        }
        if (!deleted.isEmpty()) log.info("retention ({}) removed {} backup(s): {}", retention, deleted.size(), deleted);
        return deleted;
    }

    static void fsync(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported for directories on some platforms
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", root, e.toString());
        }
    }
}
