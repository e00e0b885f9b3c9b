package dev.bulwark.app.cli;

import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Config;
import dev.bulwark.app.platform.Database;
import dev.bulwark.app.platform.Keys;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.JdbcAuditStore;

import java.time.Clock;
import java.util.Map;

/**
 * What an operations subcommand needs: the configuration (same environment variables as serve), the database (the
 * app's own migration and pre-migration backup run first), the keyring, the audit log and the operations services.
 * With the default H2 database, stop serve first: the database file is locked by the running server.
 */
final class OpsContext implements AutoCloseable {
    final Config config;
    final Database db;
    final Keys keys;
    final Audit audit;
    final Ops ops;

    private OpsContext(Config config, Database db, Keys keys, Audit audit, Ops ops) {
        this.config = config;
        this.db = db;
        this.keys = keys;
        this.audit = audit;
        this.ops = ops;
    }

    static OpsContext open(Map<String, String> env) {
        Config config = Config.from(env);
        Database db = Database.open(config);
        try {
            Keys keys = Keys.open(config, db.dataSource());
            Audit audit = new Audit(AuditLog.builder().store(new JdbcAuditStore(db.dataSource())).macKey(keys.auditKey()).build());
            return new OpsContext(config, db, keys, audit, new Ops(config, keys.keyring(), db.dataSource(), audit, Clock.systemUTC()));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
