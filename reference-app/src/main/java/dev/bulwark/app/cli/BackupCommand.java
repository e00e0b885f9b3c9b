package dev.bulwark.app.cli;

import dev.bulwark.app.backup.BackupException;
import dev.bulwark.app.backup.BackupManifest;
import dev.bulwark.app.backup.BackupService;
import picocli.CommandLine.Command;

import java.util.Map;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Takes an encrypted backup now: a consistent database snapshot (H2 SCRIPT / PostgreSQL pg_dump -Fc) and the upload "
                + "store, encrypted with the backups keyset, with an authenticated manifest; then applies the retention "
                + "(BULWARK_BACKUP_KEEP_DAILY/WEEKLY/MONTHLY, default 7/4/6) and refreshes the keyset escrow.",
                "Exit code: 0 done, 1 the backup failed, 2 configuration error."})
public final class BackupCommand extends OpsCommand {
    public BackupCommand() {
        super();
    }

    BackupCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        try {
            BackupManifest m = ctx.ops.backup(BackupService.Kind.MANUAL, "cli", progress);
            progress.close();
            out.println("backup " + m.id() + " written to " + ctx.ops.backups().backupDir().resolve(m.id()) + ": " + m.tables().size() + " tables, "
                    + m.totalRows() + " rows, " + m.files().size() + " files (" + m.totalFileBytes() + " bytes), schema version " + m.schemaVersion());
            return OK;
        } catch (BackupException e) {
            progress.close();
            err.println("backup failed (" + e.reason() + "): " + e.getMessage());
            return FAILED;
        }
    }
}
