package dev.bulwark.app.backup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.Keys;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.JdbcAuditStore;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * "Backed up before every deployment": a Flyway callback that, when migrations are pending on a database that already
 * holds data, takes a full encrypted backup first and refuses to migrate if that backup fails. A fresh install (no
 * schema history yet) has nothing to back up. Switch off with BULWARK_BACKUP_BEFORE_MIGRATION=false.
 */
public final class PreMigrationBackup extends BaseCallback {
    private static final Logger log = LoggerFactory.getLogger(PreMigrationBackup.class);
    private final Config config;
    private volatile String lastBackupId;

    public PreMigrationBackup(Config config) {
        this.config = config;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "bulwark-pre-migration-backup";
    }

    /** The id of the backup this callback took, if any (for tests and the log). */
    public String lastBackupId() {
        return lastBackupId;
    }

    @Override
    public void handle(Event event, Context context) {
        OpsConfig ops = OpsConfig.from(config);
        if (!ops.backupBeforeMigration) return;
        Flyway probe = Flyway.configure().configuration(context.getConfiguration()).callbacks(new org.flywaydb.core.api.callback.Callback[0]).load();
        var info = probe.info();
        MigrationInfo current = info.current();
        MigrationInfo[] pending = info.pending();
        if (current == null || pending.length == 0) return;
        log.warn("{} schema migration(s) pending (from version {} to {}): taking a backup first", pending.length, current.getVersion(),
                pending[pending.length - 1].getVersion());
        OwnerDatabase owner = OwnerDatabase.of(config);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(owner.url());
        hc.setUsername(owner.user());
        hc.setPassword(owner.password());
        hc.setMaximumPoolSize(2);
        hc.setPoolName("bulwark-pre-migration-backup");
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            Keys keys = Keys.open(config, ds);
            Audit audit = new Audit(AuditLog.builder().store(new JdbcAuditStore(ds)).macKey(keys.auditKey()).build());
            Ops o = new Ops(config, keys.keyring(), ds, audit, Clock.systemUTC());
            BackupManifest m = o.backup(BackupService.Kind.PRE_MIGRATION, "pre-migration-backup", Progress.NONE);
            lastBackupId = m.id();
            log.warn("pre-migration backup {} written ({} rows, {} files); migrating now", m.id(), m.totalRows(), m.files().size());
        } catch (BackupException e) {
            throw new FlywayException("refusing to migrate: the pre-migration backup failed (" + e.reason() + "): " + e.getMessage()
                    + ". Fix it, or set BULWARK_BACKUP_BEFORE_MIGRATION=false to migrate without a backup.");
        }
    }
}
