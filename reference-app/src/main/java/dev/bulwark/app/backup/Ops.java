package dev.bulwark.app.backup;

import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Config;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.crypto.Keyring;

import javax.sql.DataSource;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The operations services for one installation: backups, restore drills (recorded and audited), the escrow. Built
 * from the app's configuration, keyring, pool (for the drill record) and audit log; used by the subcommands, the
 * scheduler inside serve and the admin page.
 */
public final class Ops {
    private final OpsConfig config;
    private final OwnerDatabase owner;
    private final BackupService backups;
    private final RestoreDrill drill;
    private final DataSource appDs;
    private final Audit audit;
    private final Clock clock;

    public Ops(Config config, Keyring keyring, DataSource appDs, Audit audit, Clock clock) {
        this.config = OpsConfig.from(config);
        this.owner = OwnerDatabase.of(config);
        this.backups = new BackupService(owner, keyring, this.config.backupDir, config.dataDir.resolve("files"), this.config.pgBinDir, clock);
        this.drill = new RestoreDrill(backups, clock);
        this.appDs = appDs;
        this.audit = audit;
        this.clock = clock;
    }

    public OpsConfig config() {
        return config;
    }

    public OwnerDatabase owner() {
        return owner;
    }

    public BackupService backups() {
        return backups;
    }

    public RestoreDrill drill() {
        return drill;
    }

    /** Takes a backup, audits it (platform chain), then applies retention. */
    public BackupManifest backup(BackupService.Kind kind, String actor, Progress progress) throws BackupException {
        try {
            BackupManifest m = backups.create(kind, progress);
            List<String> pruned = backups.prune(config.retention);
            audit.platform(Actor.system(actor), "ops.backup", "backup", m.id(), Outcome.SUCCESS, null, Details.builder()
                    .put("kind", m.kind()).put("tables", m.tables().size()).put("rows", m.totalRows()).put("files", m.files().size())
                    .put("pruned", pruned.size()).build(), false);
            return m;
        } catch (BackupException e) {
            audit.platform(Actor.system(actor), "ops.backup", null, null, Outcome.FAILURE, null, Details.of("reason", e.reason().name()), true);
            throw e;
        }
    }

    /** Runs a drill, stores its report and audits it (a failed drill is flagged for review). */
    public DrillReport drill(String backupId, String actor, Progress progress) {
        DrillReport r = drill.run(backupId, progress);
        record(r);
        audit.platform(Actor.system(actor), "ops.restore_drill", "backup", r.backupId(), r.passed() ? Outcome.SUCCESS : Outcome.FAILURE, null,
                Details.builder().put("tables", r.tablesVerified()).put("rows", r.rowsVerified()).put("files", r.filesVerified())
                        .put("fields_decrypted", r.fieldsDecrypted()).put("fields_shredded", r.fieldsShredded())
                        .put("reason", r.failure() == null ? "none" : r.failure().name()).build(), !r.passed());
        return r;
    }

    private void record(DrillReport r) {
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        try (Connection c = appDs.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO ops_restore_drills "
                + "(id, backup_id, started_at_ms, took_ms, passed, reason, summary, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, "drl_" + HexFormat.of().formatHex(id));
            ps.setString(2, r.backupId().length() > 100 ? r.backupId().substring(0, 100) : r.backupId());
            ps.setLong(3, r.startedAt().toEpochMilli());
            ps.setLong(4, r.took().toMillis());
            ps.setBoolean(5, r.passed());
            ps.setString(6, r.failure() == null ? null : r.failure().name());
            ps.setString(7, cut(r.summary(), 4000));
            ps.setString(8, cut(r.toJson().encode(), 8000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the restore drill (SQLState " + e.getSQLState() + ")", e);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** A recorded drill, for the admin page. */
    public record DrillRecord(String backupId, Instant startedAt, Duration took, boolean passed, String reason, String summary) {}

    public List<DrillRecord> recentDrills(int limit) {
        List<DrillRecord> out = new ArrayList<>();
        try (Connection c = appDs.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT backup_id, started_at_ms, took_ms, passed, reason, summary FROM ops_restore_drills ORDER BY started_at_ms DESC")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DrillRecord(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Duration.ofMillis(rs.getLong(3)), rs.getBoolean(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read restore drills (SQLState " + e.getSQLState() + ")", e);
        }
        return out;
    }

    public Optional<Instant> lastDrill() {
        List<DrillRecord> d = recentDrills(1);
        return d.isEmpty() ? Optional.empty() : Optional.of(d.get(0).startedAt());
    }

    public Optional<Instant> lastBackup() {
        try {
            List<BackupService.Entry> all = backups.list();
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).time());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the keyset escrow if a keyset was destroyed after it was written (a workspace was deleted). */
    public boolean refreshEscrowIfStale() {
        try (Connection c = owner.connect()) {
            long destroyed = KeyringEscrow.lastDestroyedAtMs(c);
            java.nio.file.Path f = config.backupDir.resolve(KeyringEscrow.FILE);
            if (!java.nio.file.Files.exists(f) || destroyed == 0) return false;
            if (java.nio.file.Files.getLastModifiedTime(f).toMillis() > destroyed) return false;
            KeyringEscrow.write(c, config.backupDir);
            return true;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot refresh the keyset escrow: " + e.getMessage(), e);
        }
    }

    public Clock clock() {
        return clock;
    }
}
