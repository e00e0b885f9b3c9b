package dev.bulwark.app.cli;

import dev.bulwark.app.OpsEnv;
import dev.bulwark.app.backup.BackupService;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditEvent;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The operations subcommands, run in-process through picocli as the jar runs them, on H2 and PostgreSQL. */
class OpsCliIT {

    record Run(int exit, String out, String err) {}

    static Run run(OpsCommand cmd, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cmd.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        cmd.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cl = new CommandLine(cmd);
        StringWriter usage = new StringWriter();
        cl.setOut(new PrintWriter(usage));
        cl.setErr(new PrintWriter(usage));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8) + usage, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySubcommandHasHelpThatStatesItsExitCodes() {
        Map<String, String> env = Map.of();
        for (OpsCommand c : List.of(new BackupCommand(env), new RestoreDrillCommand(env), new RestoreCommand(env), new RotateKeysCommand(env),
                new VerifyAuditCommand(env), new IncidentReportCommand(env))) {
            Run r = run(c, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Usage:").contains("Exit code");
        }
        assertThat(new CommandLine(new dev.bulwark.app.Main()).getSubcommands().keySet())
                .contains("serve", "backup", "restore-drill", "restore", "rotate-keys", "verify-audit", "incident-report");
    }

    @Test
    void badConfigurationExitsWithTwoAndSaysWhy() {
        Run r = run(new BackupCommand(Map.of("BULWARK_BACKUP_KEEP_DAILY", "many", "BULWARK_DATA_DIR", System.getProperty("java.io.tmpdir") + "/bw-bad")), "--quiet");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("BULWARK_BACKUP_KEEP_DAILY must be a whole number");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void backupThenRestoreDrillFromTheCommandLineAndAFailedDrillExitsNonZero(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            env.seed("Cli", 3);
            Run backup = run(new BackupCommand(env.env));
            assertThat(backup.exit()).as(backup.err()).isZero();
            assertThat(backup.out()).contains("backup ").contains("rows");
            assertThat(backup.err()).contains("Database").contains("%"); // the progress bar
            Run drill = run(new RestoreDrillCommand(env.env), "--quiet");
            assertThat(drill.exit()).as(drill.out() + drill.err()).isZero();
            assertThat(drill.out()).contains("PASS");

            String id = env.ops().backups().list().get(0).id();
            Path part = env.ops().backups().backupDir().resolve(id).resolve(BackupService.FILES_PART);
            Files.write(part, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            Run failed = run(new RestoreDrillCommand(env.env), "--quiet", "--backup", id, "--json");
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.out()).contains("\"passed\" : false").contains("PART_CORRUPT");

            Run missing = run(new RestoreDrillCommand(env.env), "--quiet", "--backup", "20200101T000000Z-manual-000000");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.out()).contains("NOT_FOUND");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void verifyAuditExitsNonZeroOnTheFirstBrokenChain(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Audited", 1);
            for (int i = 0; i < 5; i++) {
                env.audit.log().record(AuditEvent.in(ChainId.workspace(s.workspaceId())).actor(Actor.member(s.ownerId())).action("customer.view")
                        .outcome(Outcome.SUCCESS).target("customer", s.customers().get(0).id()).details(Details.of("n", i)).build());
            }
            Run ok = run(new VerifyAuditCommand(env.env), "--quiet");
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("intact");
            try (Connection c = env.owner(); Statement st = c.createStatement()) {
                // An insider edits one stored event: the MAC no longer matches.
                int n = st.executeUpdate("UPDATE bulwark_audit_events SET action = 'customer.list' WHERE chain_id = 'ws:" + s.workspaceId() + "' AND seq = 3");
                assertThat(n).isEqualTo(1);
            }
            Run broken = run(new VerifyAuditCommand(env.env), "--quiet");
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.out()).contains("BROKEN ws:" + s.workspaceId()).contains("EDITED at seq 3");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void incidentReportWritesMarkdownAndJsonWithTheArticle33Headings(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Breached", 3);
            for (var cust : s.customers()) {
                env.audit.log().record(AuditEvent.in(ChainId.workspace(s.workspaceId())).actor(Actor.apiKey("bw_leaked")).action("customer.export")
                        .outcome(Outcome.SUCCESS).target("customer", cust.id()).ip("203.0.113.9").build());
            }
            env.audit.log().record(AuditEvent.in(ChainId.workspace(s.workspaceId())).actor(Actor.member(s.ownerId())).action("customer.view")
                    .outcome(Outcome.SUCCESS).target("customer", s.customers().get(0).id()).ip("198.51.100.1").build());
            Path out = Files.createTempDirectory("bulwark-incident");
            String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
            Run r = run(new IncidentReportCommand(env.env), "--quiet", "--from", today, "--to", today, "--actor", "api_key:bw_leaked", "--out", out.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("3 events").contains("~3 people");
            Path md;
            Path json;
            try (Stream<Path> files = Files.list(out)) {
                List<Path> l = files.sorted().toList();
                assertThat(l).hasSize(2);
                json = l.get(0);
                md = l.get(1);
            }
            String text = Files.readString(md);
            assertThat(text).contains("Nature of the breach (Art. 33(3)(a))").contains("Contact point (Art. 33(3)(b))")
                    .contains("Likely consequences (Art. 33(3)(c))").contains("Measures taken or proposed (Art. 33(3)(d))")
                    .contains("| " + s.workspaceId() + " | customer | 3 | 3 | 3 | 0 | 0 | 0 |").contains("203.0.113.9").doesNotContain("198.51.100.1");
            var o = new io.vertx.core.json.JsonObject(Files.readString(json));
            assertThat(o.getLong("events")).isEqualTo(3);
            assertThat(o.getInteger("approximatePeople")).isEqualTo(3);

            Run bad = run(new IncidentReportCommand(env.env), "--quiet", "--from", "yesterday", "--to", today);
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("is not a date");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void rotateKeysFromTheCommandLineLeavesNoValueUnderTheOldKey(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Rotated", 4);
            Run r = run(new RotateKeysCommand(env.env), "--quiet", "--keyset", "workspace/" + s.workspaceId() + "/data", "--disable-old");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("no value depends on an old key").contains("old keys disabled");
            Run unknown = run(new RotateKeysCommand(env.env), "--quiet", "--keyset", "nonsense");
            assertThat(unknown.exit()).isEqualTo(2);
            Run both = run(new RotateKeysCommand(env.env), "--keyset", "fields", "--all");
            assertThat(both.exit()).isEqualTo(2);
        }
    }

}
