package dev.bulwark.app.cli;

import dev.bulwark.app.incident.IncidentReport;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.JdbcAuditStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Command(name = "incident-report", mixinStandardHelpOptions = true,
        description = {"Lists from the audit log which workspaces, record types and approximately how many records and people were "
                + "accessed, exported or changed in a time window (optionally by one actor, IP or workspace), and writes "
                + "incident-<time>.md and .json with the GDPR Art. 33(3) headings for the operator to complete.",
                "Exit code: 0 written, 2 bad arguments or configuration."})
public final class IncidentReportCommand extends OpsCommand {
    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start (inclusive): 2026-11-20 or 2026-11-20T08:00:00Z.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End (exclusive): a date means the end of that day.")
    String to;

    @Option(names = "--actor", paramLabel = "ACTOR", description = "member:<id>, api_key:<id> or system:<job> (a bare id means a member).")
    String actor;

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "Only events from this IP address.")
    String ip;

    @Option(names = "--workspace", paramLabel = "ID", description = "Only this workspace.")
    String workspace;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Where to write the report (default: current directory).")
    Path outDir;

    public IncidentReportCommand() {
        super();
    }

    IncidentReportCommand(Map<String, String> env) {
        super(env);
    }

    static Instant time(String v, boolean end) {
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + v + "' is not a date (2026-11-20) or an instant (2026-11-20T08:00:00Z)");
        }
    }

    static Actor actor(String v) {
        int colon = v.indexOf(':');
        String type = colon < 0 ? "member" : v.substring(0, colon).toLowerCase(Locale.ROOT);
        String id = colon < 0 ? v : v.substring(colon + 1);
        try {
            return switch (type) {
                case "member" -> Actor.member(id);
                case "api_key", "apikey" -> Actor.apiKey(id);
                case "system" -> Actor.system(id);
                default -> throw new IllegalArgumentException("--actor must be member:<id>, api_key:<id> or system:<job>");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--actor: " + e.getMessage());
        }
    }

    @Override
    int run(OpsContext ctx, ConsoleProgress progress) {
        IncidentReport.Filter filter = new IncidentReport.Filter(time(from, false), time(to, true), Optional.ofNullable(actor).map(IncidentReportCommand::actor),
                Optional.ofNullable(ip), Optional.ofNullable(workspace));
        progress.phase("Read audit log", -1);
        IncidentReport r = IncidentReport.build(new JdbcAuditStore(ctx.db.dataSource()), filter, Instant.now());
        progress.close();
        String stamp = Instant.now().toString().replace(":", "").replace(".", "");
        try {
            Files.createDirectories(outDir);
            Path md = outDir.resolve("incident-" + stamp + ".md");
            Path json = outDir.resolve("incident-" + stamp + ".json");
            Files.writeString(md, r.toMarkdown(), StandardCharsets.UTF_8);
            Files.writeString(json, r.toJson().encodePrettily(), StandardCharsets.UTF_8);
            out.println("incident report: " + r.events() + " events, " + r.workspaces().size() + " workspace(s), " + r.distinctRecords()
                    + " records, ~" + r.approximatePeople() + " people; written to " + md + " and " + json);
            return OK;
        } catch (IOException e) {
            err.println("cannot write the report to " + outDir + ": " + e.getMessage());
            return FAILED;
        }
    }
}
