package dev.bulwark.app.cli;

import dev.bulwark.app.backup.BackupException;
import dev.bulwark.app.backup.KeyringEscrow;
import dev.bulwark.app.backup.OwnerDatabase;
import dev.bulwark.app.backup.RestoreDrill;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Real recovery: restores a backup into an EMPTY target database and upload folder, loads the keyset escrow "
                + "(keyring.bwk, which never contains the keys of deleted workspaces), and verifies the result against the manifest. "
                + "It never overwrites: a target with tables, or a non-empty folder, is refused. Then point BULWARK_DB_URL / "
                + "BULWARK_DATA_DIR at the restored copies and start serve with the same master key.",
                "Exit code: 0 restored, 1 refused or failed, 2 configuration error."})
public final class RestoreCommand extends OpsCommand {
    @Option(names = "--backup", paramLabel = "ID", description = "Backup id (default: the newest).")
    String backupId;

    @Option(names = "--target-url", required = true, paramLabel = "JDBC_URL", description = "Empty target database, e.g. jdbc:postgresql://db:5432/bulwark_restored or jdbc:h2:file:/srv/restore/db/bulwark.")
    String targetUrl;

    @Option(names = "--target-user", paramLabel = "ROLE", defaultValue = "", description = "Role that will own the restored schema.")
    String targetUser;

    @Option(names = "--target-password-env", paramLabel = "VAR", description = "Environment variable holding the target password (never pass it on the command line).")
    String targetPasswordEnv;

    @Option(names = "--files-dir", required = true, paramLabel = "DIR", description = "Empty folder for the restored upload store (the new data dir's files/).")
    Path filesDir;

    @Option(names = "--escrow", paramLabel = "FILE", description = "Keyset escrow (default: keyring.bwk in the backup directory).")
    Path escrow;

    @Option(names = "--confirm", description = "Required: you mean to restore.")
    boolean confirm;

    private final Map<String, String> env;

    public RestoreCommand() {
        this(System.getenv());
    }

    RestoreCommand(Map<String, String> env) {
        super(env);
        this.env = env;
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        String pw = targetPasswordEnv == null ? "" : env.getOrDefault(targetPasswordEnv, "");
        Path esc = escrow != null ? escrow : ctx.ops.backups().backupDir().resolve(KeyringEscrow.FILE);
        try {
            RestoreDrill.RestoreResult r = ctx.ops.drill().restore(backupId, new OwnerDatabase(targetUrl, targetUser, pw), filesDir, esc, confirm, progress);
            progress.close();
            out.println("restored " + r.backupId() + ": " + r.tables() + " tables, " + r.rows() + " rows, " + r.files() + " files, " + r.keysets()
                    + " keysets; verified against the manifest");
            return OK;
        } catch (BackupException e) {
            progress.close();
            err.println("restore refused or failed (" + e.reason() + "): " + e.getMessage());
            return FAILED;
        }
    }
}
