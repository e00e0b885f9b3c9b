package dev.bulwark.app.cli;

import dev.bulwark.app.backup.DrillReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "restore-drill", mixinStandardHelpOptions = true,
        description = {"Restores the newest (or a named) backup into a scratch database (temporary H2 file, or a scratch PostgreSQL "
                + "database dropped afterwards), verifies every table's row count and checksum and every file against the manifest, "
                + "decrypts a sample of fields and files, records and audits the result.",
                "Exit code: 0 the drill passed, 1 it failed (the reason is printed), 2 configuration error."})
public final class RestoreDrillCommand extends OpsCommand {
    @Option(names = "--backup", paramLabel = "ID", description = "Backup id (default: the newest).")
    String backupId;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    public RestoreDrillCommand() {
        super();
    }

    RestoreDrillCommand(Map<String, String> env) {
        super(env);
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        DrillReport r = ctx.ops.drill(backupId, "cli", progress);
        progress.close();
        out.println(json ? r.toJson().encodePrettily() : "restore drill of " + r.backupId() + ": " + r.summary());
        return r.passed() ? OK : FAILED;
    }
}
