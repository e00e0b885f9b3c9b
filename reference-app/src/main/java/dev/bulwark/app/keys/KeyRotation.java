package dev.bulwark.app.keys;

import dev.bulwark.app.backup.Progress;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.PasswordPeppers;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.crypto.BatchSource;
import dev.bulwark.crypto.BlindIndex;
import dev.bulwark.crypto.BlindIndexRebuild;
import dev.bulwark.crypto.ColumnContext;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldRewriter;
import dev.bulwark.crypto.IndexedRow;
import dev.bulwark.crypto.KeyDestroyedException;
import dev.bulwark.crypto.KeyPurpose;
import dev.bulwark.crypto.KeyReferenceScan;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.KeysetInfo;
import dev.bulwark.crypto.KeysetName;
import dev.bulwark.crypto.Normalizer;
import dev.bulwark.crypto.RewriteReport;
import dev.bulwark.crypto.StoredField;
import dev.bulwark.crypto.StreamContext;
import dev.bulwark.tenancy.RowLevelSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Online key rotation: adds a new primary key to a keyset, then re-encrypts every value (and, for a workspace's file
 * keyset, every file) under it in batches while the app keeps serving, with core-crypto's {@link FieldRewriter} /
 * {@link BlindIndexRebuild} (compare-and-set writes, so a concurrent update always wins and is counted as a conflict).
 *
 * <p>Resumable and idempotent: the rotation and each walk's last cursor are stored (ops_rotations, ops_rotation_walks);
 * after a crash the next run continues without adding another key. It ends with a verification pass over every
 * value from the start; only when that pass is clean (no value under an old key, no conflict, no failure) is the
 * rotation DONE, and its reports are the evidence {@link Keyring#disableKey} requires before an old key may go.
 */
public final class KeyRotation {
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final DataSource ds;
    private final boolean postgres;
    private final Keyring keyring;
    private final Path filesDir;
    private final Audit audit;
    private final Clock clock;
    private int batchSize = 200;

    public KeyRotation(DataSource appDataSource, boolean postgres, Keyring keyring, Path filesDir, Audit audit, Clock clock) {
        this.ds = appDataSource;
        this.postgres = postgres;
        this.keyring = keyring;
        this.filesDir = filesDir;
        this.audit = audit;
        this.clock = clock;
    }

    public KeyRotation batchSize(int size) {
        if (size < 1 || size > 10_000) throw new IllegalArgumentException("batch size must be 1..10000");
        this.batchSize = size;
        return this;
    }

    /** The outcome for one keyset. */
    public record Result(String keysetId, int newPrimary, Set<Integer> oldKeys, List<RewriteReport> evidence, long valuesRewritten,
                         long filesRewritten, boolean clean, boolean oldKeysDisabled, String note, Set<Integer> oldKeysStillNamed) {
        /** Values and files moved to the new key by this run (the re-encryption pass and the verification pass). */
        public long rewritten() {
            return valuesRewritten + evidence.stream().mapToLong(RewriteReport::rewritten).sum() + filesRewritten;
        }

        public long scanned() {
            return evidence.stream().mapToLong(RewriteReport::scanned).sum();
        }

        public String summary() {
            return keysetId + ": primary " + Integer.toUnsignedString(newPrimary) + ", " + rewritten() + " value(s)/file(s) re-encrypted, "
                    + scanned() + " value(s) verified"
                    + (!clean ? ", NOT CLEAN: run again" : oldKeysStillNamed.isEmpty() ? ", no value depends on an old key"
                    : ", " + oldKeysStillNamed.size() + " old key(s) still named by values that move on their own")
                    + (oldKeysDisabled ? "; old keys disabled" : "") + (note == null ? "" : "; " + note);
        }
    }

    /** Every live keyset the app stores (shared ones and those of workspaces not deleted). */
    public List<KeysetName> allKeysets() {
        List<KeysetName> out = new ArrayList<>();
        for (KeysetName n : keyring.storedKeysets()) if (!keyring.isDestroyed(n)) out.add(n);
        return out;
    }

    /**
     * Rotates {@code name} (or resumes its unfinished rotation) and re-encrypts what depends on it. With
     * {@code disableOldKeys}, a clean result disables the old keys (the evidence is checked again by core-crypto).
     */
    public Result rotate(KeysetName name, boolean disableOldKeys, Progress progress) {
        Start start = startOrResume(name);
        int primary = start.primary();
        List<Walk> walks = walks(name);
        long files = 0;
        long values = 0;
        progress.phase("Re-encrypt " + name.id(), walks.size());
        for (Walk w : walks) {
            long n = w.run(this, name);
            if (w instanceof FileWalk) files += n;
            else values += n;
            progress.step(1);
        }
        // Verification pass from the start: cheap for values already current, and it catches values written under an
        // old key by another node whose keyring cache had not yet seen the rotation.
        List<RewriteReport> evidence = new ArrayList<>();
        boolean clean = true;
        progress.phase("Verify " + name.id(), walks.size());
        for (Walk w : walks) {
            RewriteReport r = w.verify(this);
            if (r != null) {
                evidence.add(r);
                clean &= r.clean();
            }
            progress.step(1);
        }
        Set<Integer> old = oldKeys(name);
        String note = note(name);
        boolean disabled = false;
        Set<Integer> stillNamed = new LinkedHashSet<>();
        for (RewriteReport r : evidence) for (int id : r.keyIdsStillReferenced()) if (old.contains(id)) stillNamed.add(id);
        if (name.purpose() == KeyPurpose.PASSWORD_PEPPER) {
            // Hashes move to the new pepper only when their owners sign in: retire exactly the old keys no hash names, and
            // only once every node has seen the new key (PEPPER_SETTLE after the run that added it): until its keyring
            // cache refreshes, a node may still write new hashes under an old key, after the scan above.
            boolean settled = start.resumed() && clock.millis() - start.startedAtMs() >= PEPPER_SETTLE.toMillis();
            if (clean && disableOldKeys && settled) {
                for (int id : old) if (!stillNamed.contains(id)) keyring.disableKey(name, id, evidence);
                disabled = !old.isEmpty() && stillNamed.isEmpty();
            }
            note = pepperNote(evidence, stillNamed, settled);
        } else if (clean && disableOldKeys && !old.isEmpty() && disablable(name)) {
            for (int id : old) keyring.disableKey(name, id, evidence);
            disabled = true;
        }
        Result result = new Result(name.id(), primary, old, evidence, values, files, clean, disabled, note, Set.copyOf(stillNamed));
        finish(name, result, name.purpose() != KeyPurpose.PASSWORD_PEPPER || disabled || old.isEmpty());
        audit.platform(Actor.system("rotate-keys"), "ops.key_rotation", "keyset", name.id().replace('/', ':'), clean ? Outcome.SUCCESS : Outcome.FAILURE, null,
                Details.builder().put("primary", Integer.toUnsignedString(primary)).put("rewritten", result.rewritten())
                        .put("verified", result.scanned()).put("old_keys_disabled", disabled).build(), !clean);
        log.info("key rotation {}", result.summary());
        return result;
    }

    private static boolean disablable(KeysetName name) {
        return switch (name.purpose()) {
            case FIELDS, WORKSPACE_DATA, CONNECTION_CREDENTIALS, BLIND_INDEX, SEARCHABLE_FIELDS -> true;
            default -> false;
        };
    }

    private static String note(KeysetName name) {
        return switch (name.purpose()) {
            case AUDIT -> "old audit keys stay enabled: they verify the existing chain entries";
            case LINK_SIGNING -> "old link keys stay enabled until the links signed with them have expired";
            case BACKUPS -> "old backups stay under the old key until retention removes them; keep it enabled until then";
            case WORKSPACE_FILES, FILES -> "streaming ciphertexts carry no key id, so old file keys stay enabled";
            default -> null;
        };
    }

    private static String pepperNote(List<RewriteReport> evidence, Set<Integer> stillNamed, boolean settled) {
        if (stillNamed.isEmpty()) {
            return "no password hash names an old pepper key" + (settled ? "" : "; old keys are retired by a later run at least "
                    + PEPPER_SETTLE.toMinutes() + " minutes after the one that added the new key (rotate-keys --keyset password-pepper "
                    + "--disable-old; by then every node's keyring cache holds the new key), which adds no key");
        }
        long hashes = evidence.stream().mapToLong(r -> r.scanned() - r.alreadyCurrent()).sum();
        List<String> ids = stillNamed.stream().map(PasswordPeppers::pepperId).sorted().toList();
        return hashes + " password hash(es) still name old pepper key(s) " + ids + ": each moves to the new pepper at its owner's next "
                + "sign-in; until none does, the old keys stay enabled and this rotation stays open (running it again adds no key)";
    }

    private Set<Integer> oldKeys(KeysetName name) {
        KeysetInfo info = keyring.info(name);
        Set<Integer> old = new LinkedHashSet<>();
        for (KeysetInfo.Key k : info.keys()) if (!k.primary() && k.enabled()) old.add(k.id());
        return old;
    }

    // ---------------------------------------------------------------- progress records

    private record Start(int primary, boolean resumed, long startedAtMs) {}

    /** How long after the run that added a pepper key its old keys may be retired: twice the keyring's 5-minute cache period. */
    public static final java.time.Duration PEPPER_SETTLE = java.time.Duration.ofMinutes(10);

    private Start startOrResume(KeysetName name) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT status, new_primary, started_at_ms FROM ops_rotations WHERE keyset_id = ?")) {
                ps.setString(1, name.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("RUNNING")) {
                        log.info("resuming the unfinished rotation of {}", name.id());
                        return new Start((int) rs.getLong(2), true, rs.getLong(3));
                    }
                }
            }
            int primary = keyring.rotate(name);
            long startedAt = clock.millis();
            try (PreparedStatement del = c.prepareStatement("DELETE FROM ops_rotations WHERE keyset_id = ?");
                 PreparedStatement walks = c.prepareStatement("DELETE FROM ops_rotation_walks WHERE keyset_id = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO ops_rotations (keyset_id, status, new_primary, started_at_ms) VALUES (?, 'RUNNING', ?, ?)")) {
                del.setString(1, name.id());
                del.executeUpdate();
                walks.setString(1, name.id());
                walks.executeUpdate();
                ins.setString(1, name.id());
                ins.setLong(2, Integer.toUnsignedLong(primary));
                ins.setLong(3, startedAt);
                ins.executeUpdate();
            }
            return new Start(primary, false, startedAt);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the rotation of " + name.id() + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** @param mayClose false keeps the rotation open although it is clean (its old keys are retired by a later run) */
    private void finish(KeysetName name, Result r, boolean mayClose) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE ops_rotations SET status = ?, finished_at_ms = ?, report = ? WHERE keyset_id = ?")) {
            // Open while a value still names an old key (password hashes waiting for a sign-in): the next run resumes.
            ps.setString(1, mayClose && r.clean() && r.oldKeysStillNamed().isEmpty() ? "DONE" : "RUNNING");
            ps.setLong(2, clock.millis());
            String s = r.summary();
            ps.setString(3, s.length() > 8000 ? s.substring(0, 8000) : s);
            ps.setString(4, name.id());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the rotation of " + name.id() + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private record Saved(String cursor, boolean complete) {}

    private Saved saved(String keyset, String walk) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT cursor_value, complete FROM ops_rotation_walks WHERE keyset_id = ? AND walk_id = ?")) {
            ps.setString(1, keyset);
            ps.setString(2, walk);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Saved(rs.getString(1), rs.getBoolean(2)) : new Saved(null, false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rotation progress (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private void save(String keyset, String walk, String cursor, boolean complete) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE ops_rotation_walks SET cursor_value = ?, complete = ?, updated_at_ms = ? WHERE keyset_id = ? AND walk_id = ?")) {
                up.setString(1, cursor);
                up.setBoolean(2, complete);
                up.setLong(3, clock.millis());
                up.setString(4, keyset);
                up.setString(5, walk);
                if (up.executeUpdate() == 1) return;
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO ops_rotation_walks (keyset_id, walk_id, cursor_value, complete, updated_at_ms) VALUES (?, ?, ?, ?, ?)")) {
                ins.setString(1, keyset);
                ins.setString(2, walk);
                ins.setString(3, cursor);
                ins.setBoolean(4, complete);
                ins.setLong(5, clock.millis());
                ins.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store rotation progress (SQLState " + e.getSQLState() + ")", e);
        }
    }

    // ---------------------------------------------------------------- walks

    /** One resumable walk: a column in one workspace, a blind index in one workspace, or a workspace's files. */
    private abstract static class Walk {
        final String id;

        Walk(String id) {
            this.id = id;
        }

        /** Re-encrypts from the saved cursor; returns the values or files rewritten. */
        abstract long run(KeyRotation r, KeysetName name);

        /** A full pass from the start; null when the walk has no report (files). */
        abstract RewriteReport verify(KeyRotation r);
    }

    private List<Walk> walks(KeysetName name) {
        List<Walk> out = new ArrayList<>();
        switch (name.purpose()) {
            case FIELDS -> {
                for (EncryptedColumns col : EncryptedColumns.of(KeyPurpose.FIELDS)) out.add(new ColumnWalk(col, null));
            }
            case WORKSPACE_DATA -> {
                for (EncryptedColumns col : EncryptedColumns.of(KeyPurpose.WORKSPACE_DATA)) out.add(new ColumnWalk(col, name.workspaceId()));
            }
            case CONNECTION_CREDENTIALS -> {
                for (EncryptedColumns col : EncryptedColumns.of(KeyPurpose.CONNECTION_CREDENTIALS)) {
                    for (String ws : workspacesIn(col.table())) out.add(new ColumnWalk(col, ws));
                }
            }
            case BLIND_INDEX -> {
                for (String ws : workspacesIn(EncryptedColumns.CUSTOMER_EMAIL_INDEX.table())) out.add(new IndexWalk(ws));
            }
            case WORKSPACE_FILES -> out.add(new FileWalk(name.workspaceId()));
            case PASSWORD_PEPPER -> out.add(new PepperScan());
            default -> { }
        }
        return out;
    }

    private List<String> workspacesIn(String table) {
        List<String> out = new ArrayList<>();
        // Workspace ids come from the directory (not under RLS); each walk then runs inside its workspace's policy.
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM bulwark_workspaces ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list workspaces for " + table + " (SQLState " + e.getSQLState() + ")", e);
        }
        return out;
    }

    /** Runs {@code work} in a transaction bound to {@code ws} (PostgreSQL RLS), or a plain one. */
    private <T> T tx(String ws, RowLevelSecurity.SqlWork<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres && ws != null) RowLevelSecurity.setLocal(c, ws);
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("rotation walk failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private final class ColumnWalk extends Walk {
        final EncryptedColumns col;
        final String ws;

        ColumnWalk(EncryptedColumns col, String ws) {
            super(col.id() + (ws == null ? "" : "@" + ws));
            this.col = col;
            this.ws = ws;
        }

        BatchSource<StoredField> source(String start) {
            String where = col.workspaceScoped() ? "workspace_id = ? AND " : "";
            return new BatchSource<>() {
                @Override
                public List<StoredField> nextBatch(String after, int limit) {
                    String from = after == null ? start : after;
                    return tx(ws, c -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT " + col.idColumn() + ", " + col.column() + " FROM " + col.table()
                                + " WHERE " + where + col.idColumn() + " > ? ORDER BY " + col.idColumn() + " LIMIT " + limit)) {
                            int i = 1;
                            if (col.workspaceScoped()) ps.setString(i++, ws);
                            ps.setString(i, from == null ? "" : from);
                            List<StoredField> out = new ArrayList<>();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) out.add(new StoredField(rs.getString(1), col.context(ws, rs.getString(1)), rs.getString(2)));
                            }
                            return out;
                        }
                    });
                }

                @Override
                public boolean replace(StoredField item, String newValue) {
                    return tx(ws, c -> {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table() + " SET " + col.column() + " = ? WHERE " + where
                                + col.idColumn() + " = ? AND " + col.column() + " = ?")) {
                            int i = 1;
                            ps.setString(i++, newValue);
                            if (col.workspaceScoped()) ps.setString(i++, ws);
                            ps.setString(i++, item.cursor());
                            ps.setString(i, item.storedValue());
                            return ps.executeUpdate() == 1;
                        }
                    });
                }

                @Override
                public String cursorOf(StoredField item) {
                    return item.cursor();
                }
            };
        }

        FieldRewriter rewriter() {
            return FieldRewriter.reencrypting(col.cipher(keyring, ws == null ? EncryptedColumns.PLATFORM : ws)).batchSize(batchSize);
        }

        @Override
        long run(KeyRotation r, KeysetName name) {
            Saved s = saved(name.id(), id);
            if (s.complete()) return 0;
            RewriteReport rep = rewriter().progress(p -> save(name.id(), id, p.lastCursor() == null ? s.cursor() : p.lastCursor(), p.complete()))
                    .run(source(s.cursor()));
            save(name.id(), id, rep.lastCursor() == null ? s.cursor() : rep.lastCursor(), true);
            return rep.rewritten() + rep.plaintextEncrypted();
        }

        @Override
        RewriteReport verify(KeyRotation r) {
            return rewriter().run(source(null));
        }
    }

    private final class IndexWalk extends Walk {
        final String ws;

        IndexWalk(String ws) {
            super("prod_customers.email_bidx@" + ws);
            this.ws = ws;
        }

        BatchSource<IndexedRow> source(String start) {
            EncryptedColumns email = EncryptedColumns.CUSTOMER_EMAIL_INDEX.source();
            return new BatchSource<>() {
                @Override
                public List<IndexedRow> nextBatch(String after, int limit) {
                    String from = after == null ? start : after;
                    return tx(ws, c -> {
                        try (PreparedStatement ps = c.prepareStatement("SELECT id, email_enc, email_bidx FROM prod_customers WHERE workspace_id = ? "
                                + "AND id > ? ORDER BY id LIMIT " + limit)) {
                            ps.setString(1, ws);
                            ps.setString(2, from == null ? "" : from);
                            List<IndexedRow> out = new ArrayList<>();
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    String value = null;
                                    if (rs.getString(2) != null && rs.getString(3) != null) {
                                        try {
                                            value = email.cipher(keyring, ws).decrypt(rs.getString(2), email.context(ws, rs.getString(1)));
                                        } catch (DecryptionException e) {
                                            value = null; // a shredded workspace: its index is meaningless and left alone
                                        }
                                    }
                                    out.add(new IndexedRow(rs.getString(1), value, rs.getString(3)));
                                }
                            }
                            return out;
                        }
                    });
                }

                @Override
                public boolean replace(IndexedRow item, String newValue) {
                    return tx(ws, c -> {
                        try (PreparedStatement ps = c.prepareStatement(
                                "UPDATE prod_customers SET email_bidx = ? WHERE workspace_id = ? AND id = ? AND email_bidx = ?")) {
                            ps.setString(1, newValue);
                            ps.setString(2, ws);
                            ps.setString(3, item.cursor());
                            ps.setString(4, item.storedIndex());
                            return ps.executeUpdate() == 1;
                        }
                    });
                }

                @Override
                public String cursorOf(IndexedRow item) {
                    return item.cursor();
                }
            };
        }

        BlindIndexRebuild rebuild() {
            BlindIndex index = keyring.blindIndexes().column(ColumnContext.of(ws, EncryptedColumns.CUSTOMER_EMAIL_INDEX.table(),
                    EncryptedColumns.CUSTOMER_EMAIL_INDEX.contextColumn()), Normalizer.EMAIL);
            return new BlindIndexRebuild(index, keyring).batchSize(batchSize);
        }

        @Override
        long run(KeyRotation r, KeysetName name) {
            Saved s = saved(name.id(), id);
            if (s.complete()) return 0;
            RewriteReport rep = rebuild().progress(p -> save(name.id(), id, p.lastCursor() == null ? s.cursor() : p.lastCursor(), p.complete()))
                    .run(source(s.cursor()));
            save(name.id(), id, rep.lastCursor() == null ? s.cursor() : rep.lastCursor(), true);
            return rep.rewritten() + rep.plaintextEncrypted();
        }

        @Override
        RewriteReport verify(KeyRotation r) {
            return rebuild().run(source(null));
        }
    }

    /**
     * Password hashes cannot be rewritten without the password, so this walk rewrites nothing: its report says which old
     * pepper keys stored hashes still name (the evidence core-crypto checks before an old key may be disabled).
     */
    private final class PepperScan extends Walk {
        PepperScan() {
            super("app_users.password_hash");
        }

        @Override
        long run(KeyRotation r, KeysetName name) {
            return 0;
        }

        @Override
        RewriteReport verify(KeyRotation r) {
            return new KeyReferenceScan(keyring, KeysetName.of(KeyPurpose.PASSWORD_PEPPER)).batchSize(batchSize).run((after, limit) -> tx(null, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, password_hash FROM app_users WHERE id > ? ORDER BY id LIMIT " + limit)) {
                    ps.setString(1, after == null ? "" : after);
                    List<KeyReferenceScan.Reference> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString(1);
                            OptionalInt key = PasswordPeppers.keyIdNamedBy(rs.getString(2));
                            out.add(key.isPresent() ? KeyReferenceScan.Reference.to(id, key.getAsInt()) : KeyReferenceScan.Reference.none(id));
                        }
                    }
                    return out;
                }
            }));
        }
    }

    /** A workspace's uploaded files: each is decrypted and re-encrypted (new primary) into a temp file, then renamed over it. */
    private final class FileWalk extends Walk {
        final String ws;

        FileWalk(String ws) {
            super("files@" + ws);
            this.ws = ws;
        }

        @Override
        long run(KeyRotation r, KeysetName name) {
            Saved s = saved(name.id(), id);
            if (s.complete()) return 0;
            Map<String, Path> onDisk = blobsOnDisk();
            String cursor = s.cursor();
            long n = 0;
            while (true) {
                List<String> ids = blobIds(cursor, batchSize);
                for (String blob : ids) {
                    Path p = onDisk.get(blob);
                    if (p != null && reencrypt(blob, p)) n++;
                    cursor = blob;
                }
                save(name.id(), id, cursor, ids.size() < batchSize);
                if (ids.size() < batchSize) return n;
            }
        }

        @Override
        RewriteReport verify(KeyRotation r) {
            return null;
        }

        private List<String> blobIds(String after, int limit) {
            return tx(null, c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT blob_id FROM bulwark_upload WHERE workspace_id = ? AND blob_id > ? ORDER BY blob_id LIMIT " + limit)) {
                    ps.setString(1, ws);
                    ps.setString(2, after == null ? "" : after);
                    List<String> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.add(rs.getString(1));
                    }
                    return out;
                }
            });
        }

        private Map<String, Path> blobsOnDisk() {
            Map<String, Path> out = new HashMap<>();
            if (!Files.isDirectory(filesDir)) return out;
            try (Stream<Path> walk = Files.walk(filesDir, 2)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith(".tmp-"))
                        .forEach(p -> out.put(p.getFileName().toString(), p));
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + filesDir + ": " + e.getMessage(), e);
            }
            return out;
        }

        private boolean reencrypt(String blob, Path file) {
            Path tmp = file.resolveSibling(".tmp-rotate-" + blob);
            StreamContext ctx = StreamContext.of(ws, blob);
            try (InputStream in = keyring.workspaceFiles(ws).decrypting(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), ctx);
                 OutputStream out = keyring.workspaceFiles(ws).encrypting(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW), ctx)) {
                in.transferTo(out);
            } catch (KeyDestroyedException e) {
                deleteQuietly(tmp);
                return false;
            } catch (java.nio.file.NoSuchFileException gone) {
                deleteQuietly(tmp);
                return false;
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new IllegalStateException("cannot re-encrypt file " + blob + " of workspace " + ws + ": " + e.getMessage(), e);
            }
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(tmp); // deleted meanwhile: do not bring it back
                    return false;
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } catch (IOException e) {
                deleteQuietly(tmp);
                throw new IllegalStateException("cannot replace file " + blob + ": " + e.getMessage(), e);
            }
        }

        private void deleteQuietly(Path p) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // left for the upload store's temp purge at start-up
            }
        }
    }
}
