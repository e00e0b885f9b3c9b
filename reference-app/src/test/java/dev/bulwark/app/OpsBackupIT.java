package dev.bulwark.app;

import dev.bulwark.app.backup.BackupException;
import dev.bulwark.app.backup.BackupManifest;
import dev.bulwark.app.backup.BackupService;
import dev.bulwark.app.backup.DrillReport;
import dev.bulwark.app.backup.KeyringEscrow;
import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.backup.OwnerDatabase;
import dev.bulwark.app.backup.Progress;
import dev.bulwark.audit.AuditEntry;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Outcome;
import dev.bulwark.crypto.DecryptionException;
import dev.bulwark.crypto.FieldContext;
import dev.bulwark.crypto.JdbcKeysetStore;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.testkit.Services;
import dev.bulwark.testkit.TestDatabase;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encrypted backups and restore drills, end to end on H2 and PostgreSQL. */
class OpsBackupIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void backupThenRestoreDrillPassesWithFiguresAndIsAudited(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            env.seed("Acme", 5);
            env.seed("Globex", 3);
            Ops ops = env.ops();
            BackupManifest m = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            assertThat(m.tables()).containsKeys("prod_customers", "bulwark_workspaces", "flyway_schema_history");
            assertThat(m.tables().get("prod_customers").rows()).isEqualTo(8);
            assertThat(m.tables()).doesNotContainKey("bulwark_keysets");
            assertThat(m.files()).hasSize(2);
            assertThat(m.schemaVersion()).isNotEqualTo("none");

            DrillReport r = ops.drill(null, "test", Progress.NONE);
            assertThat(r.passed()).as(r.summary()).isTrue();
            assertThat(r.backupId()).isEqualTo(m.id());
            assertThat(r.rowsVerified()).isEqualTo(m.totalRows());
            assertThat(r.tablesVerified()).isEqualTo(m.tables().size());
            assertThat(r.filesVerified()).isEqualTo(2);
            assertThat(r.fieldsDecrypted()).isGreaterThanOrEqualTo(8 * 4);
            assertThat(r.filesDecrypted()).isEqualTo(2);
            assertThat(r.fieldsShredded()).isZero();

            assertThat(ops.recentDrills(5)).first().satisfies(d -> assertThat(d.passed()).isTrue());
            List<AuditEntry> audited = env.audit.log().query(AuditQuery.in(ChainId.PLATFORM).action("ops.restore_drill"));
            assertThat(audited).hasSize(1);
            assertThat(audited.get(0).outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(audited.get(0).details().asMap()).containsEntry("rows", String.valueOf(m.totalRows()));
            assertNoScratchDatabaseLeft(kind);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void backupHoldsNeitherPlaintextNorKeyMaterial(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded s = env.seed("Initech", 2);
            BackupManifest m = env.ops().backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            Path dir = env.ops().backups().backupDir().resolve(m.id());
            String keysetSample;
            try (Connection c = env.owner(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT keyset_b64 FROM bulwark_keysets WHERE keyset_b64 IS NOT NULL")) {
                rs.next();
                keysetSample = rs.getString(1).substring(0, 40);
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertThat(bytes).doesNotContain(s.customers().get(0).name()).doesNotContain("INSERT").doesNotContain("prod_customers")
                            .doesNotContain(keysetSample);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void corruptedTruncatedOrTamperedBackupFailsTheDrillWithAClearReason(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            env.seed("Hooli", 3);
            Ops ops = env.ops();
            Path dir = ops.backups().backupDir();

            BackupManifest flipped = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            Path db = dir.resolve(flipped.id()).resolve(BackupService.DATABASE_PART);
            byte[] b = Files.readAllBytes(db);
            b[b.length / 2] ^= 0x01;
            Files.write(db, b);
            DrillReport r1 = ops.drill(flipped.id(), "test", Progress.NONE);
            assertThat(r1.passed()).isFalse();
            assertThat(r1.failure()).isEqualTo(BackupException.Reason.PART_CORRUPT);
            assertThat(r1.message()).contains("database.bwe").contains("SHA-256");

            BackupManifest truncated = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            Path files = dir.resolve(truncated.id()).resolve(BackupService.FILES_PART);
            byte[] f = Files.readAllBytes(files);
            Files.write(files, java.util.Arrays.copyOf(f, f.length - 100));
            DrillReport r2 = ops.drill(truncated.id(), "test", Progress.NONE);
            assertThat(r2.failure()).isEqualTo(BackupException.Reason.PART_CORRUPT);
            assertThat(r2.message()).contains("truncated");

            BackupManifest swapped = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            // An attacker cannot re-seal a manifest: one copied from another backup is refused.
            Files.copy(dir.resolve(truncated.id()).resolve(BackupService.MANIFEST), dir.resolve(swapped.id()).resolve(BackupService.MANIFEST),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            DrillReport r3 = ops.drill(swapped.id(), "test", Progress.NONE);
            assertThat(r3.failure()).isEqualTo(BackupException.Reason.MANIFEST_UNREADABLE);

            BackupManifest ok = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            Path part = dir.resolve(ok.id()).resolve(BackupService.DATABASE_PART);
            Files.delete(part);
            assertThat(ops.drill(ok.id(), "test", Progress.NONE).failure()).isEqualTo(BackupException.Reason.PART_MISSING);

            List<AuditEntry> failures = env.audit.log().query(AuditQuery.in(ChainId.PLATFORM).action("ops.restore_drill").outcome(Outcome.FAILURE));
            assertThat(failures).hasSize(4).allSatisfy(e -> assertThat(e.suspicious()).isTrue());
            assertNoScratchDatabaseLeft(kind);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void deletedWorkspaceStaysUnreadableWhenAnOlderBackupIsRestoredWhileOthersRestoreFine(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            OpsEnv.Seeded doomed = env.seed("Doomed", 3);
            OpsEnv.Seeded kept = env.seed("Kept", 3);
            Ops ops = env.ops();
            BackupManifest before = ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);

            var shredded = new dev.bulwark.app.keys.WorkspaceShredder(env.tenancy, env.db.dataSource(), env.db.postgres(), env.uploads(), ops, env.audit)
                    .delete(doomed.ctx());
            assertThat(shredded.files()).isEqualTo(1);
            assertThat(shredded.escrowRewritten()).isTrue();
            assertThat(Files.readString(ops.backups().backupDir().resolve(KeyringEscrow.FILE))).as("escrow keeps no material of the shredded keysets")
                    .doesNotContainPattern("\"name\":\"workspace/" + doomed.workspaceId() + "/data\",\"keyset\":\"")
                    .contains("\"name\":\"workspace/" + kept.workspaceId() + "/data\",\"keyset\":\"");

            DrillReport drill = ops.drill(before.id(), "test", Progress.NONE);
            assertThat(drill.passed()).as(drill.summary()).isTrue();
            assertThat(drill.fieldsShredded()).isGreaterThan(0);
            assertThat(drill.filesShredded()).isEqualTo(1);
            assertThat(drill.filesDecrypted()).isEqualTo(1);

            // A full restore of the older backup into a fresh database, with the escrow and the master key.
            try (Target target = Target.create(kind, before)) {
                Path files = Files.createTempDirectory("bulwark-restore-files");
                var result = ops.drill().restore(before.id(), target.db, files, ops.backups().backupDir().resolve(KeyringEscrow.FILE), true, Progress.NONE);
                assertThat(result.rows()).isEqualTo(before.totalRows());
                Keyring restored = Keyring.builder().masterKey(MasterKey.fromKeyFile(env.config.masterKeyFile, MasterKey.FileMode.EXISTING_ONLY))
                        .store(new JdbcKeysetStore(target.dataSource())).build();
                try (Connection c = target.db.connect()) {
                    for (var cust : kept.customers()) {
                        assertThat(restored.workspaceFields(kept.workspaceId()).decrypt(email(c, kept.workspaceId(), cust.id()),
                                FieldContext.of(kept.workspaceId(), "prod_customers", "email", cust.id()))).isEqualTo(cust.email());
                    }
                    for (var cust : doomed.customers()) {
                        String stored = email(c, doomed.workspaceId(), cust.id());
                        assertThat(stored).startsWith("bw1.");
                        assertThatThrownBy(() -> restored.workspaceFields(doomed.workspaceId()).decrypt(stored,
                                FieldContext.of(doomed.workspaceId(), "prod_customers", "email", cust.id())))
                                .isInstanceOf(DecryptionException.class)
                                .satisfies(e -> assertThat(((DecryptionException) e).reason()).isEqualTo(DecryptionException.Reason.KEY_DESTROYED));
                    }
                }
                assertThatThrownBy(() -> ops.drill().restore(before.id(), target.db, files, ops.backups().backupDir().resolve(KeyringEscrow.FILE), true, Progress.NONE))
                        .isInstanceOf(BackupException.class).satisfies(e -> assertThat(((BackupException) e).reason()).isEqualTo(BackupException.Reason.TARGET_REFUSED));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void restoreRefusesWithoutConfirmation(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            Ops ops = env.ops();
            ops.backup(BackupService.Kind.MANUAL, "test", Progress.NONE);
            assertThatThrownBy(() -> ops.drill().restore(null, ops.owner(), env.dataDir.resolve("x"), env.dataDir.resolve("none"), false, Progress.NONE))
                    .isInstanceOf(BackupException.class).satisfies(e -> assertThat(((BackupException) e).reason()).isEqualTo(BackupException.Reason.TARGET_REFUSED));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aBackupIsTakenBeforePendingMigrationsRunAndOnlyThen(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            env.seed("Umbrella", 2);
            assertThat(env.ops().backups().list()).isEmpty();
            OwnerDatabase owner = env.ops().owner();
            // "The next release": the app's migrations plus one more, run through the same pre-migration callback.
            org.flywaydb.core.Flyway next = org.flywaydb.core.Flyway.configure().dataSource(owner.url(), owner.user(), "")
                    .locations("classpath:db/migration/common", "classpath:db/opstest").ignoreMigrationPatterns("*:missing")
                    .callbacks(new dev.bulwark.app.backup.PreMigrationBackup(env.config)).load();
            assertThat(next.info().pending()).hasSize(1);
            next.migrate();
            List<BackupService.Entry> all = env.ops().backups().list();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).id()).contains("-pre-migration-");
            BackupManifest m = env.ops().backups().manifest(all.get(0));
            assertThat(m.tables()).doesNotContainKey("ops_test_marker").containsKey("prod_customers");
            assertThat(m.tables().get("prod_customers").rows()).isEqualTo(2);
            DrillReport r = env.ops().drill(null, "test", Progress.NONE);
            assertThat(r.passed()).as(r.summary()).isTrue();
            try (Connection c = owner.connect(); Statement s = c.createStatement()) {
                s.executeQuery("SELECT count(*) FROM ops_test_marker").close();
            }
            // Nothing pending: no further backup.
            next.migrate();
            env.stop();
            env.start();
            assertThat(env.ops().backups().list()).hasSize(1);
            assertThat(env.audit.log().query(AuditQuery.in(ChainId.PLATFORM).action("ops.backup"))).hasSize(1);
        }
    }

    private static String email(Connection c, String ws, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT email_enc FROM prod_customers WHERE workspace_id = ? AND id = ?")) {
            ps.setString(1, ws);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    static void assertNoScratchDatabaseLeft(TestDatabase.Kind kind) throws Exception {
        if (kind != TestDatabase.Kind.POSTGRESQL) return;
        try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'bulwark_drill_%'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("scratch databases left behind").isZero();
        }
    }

    /** An empty restore target: a fresh H2 file, or a fresh PostgreSQL database (dropped on close). */
    static final class Target implements AutoCloseable {
        final OwnerDatabase db;
        private final String pgName;
        private final Path h2Dir;
        private final String schema;

        private Target(OwnerDatabase db, String pgName, Path h2Dir, String schema) {
            this.db = db;
            this.pgName = pgName;
            this.h2Dir = h2Dir;
            this.schema = schema;
        }

        static Target create(TestDatabase.Kind kind, BackupManifest m) throws Exception {
            if (kind == TestDatabase.Kind.H2) {
                Path dir = Files.createTempDirectory("bulwark-restore-db");
                return new Target(new OwnerDatabase("jdbc:h2:file:" + dir.resolve("restored") + ";DB_CLOSE_ON_EXIT=FALSE", "bulwark", ""), null, dir, null);
            }
            String name = "bulwark_restore_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return new Target(new OwnerDatabase("jdbc:postgresql://127.0.0.1:5432/" + name + "?currentSchema=" + m.schema(), "root", ""), name, null, m.schema());
        }

        DataSource dataSource() {
            if (h2Dir != null) {
                JdbcDataSource ds = new JdbcDataSource();
                ds.setURL(db.url());
                ds.setUser("bulwark");
                return ds;
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(db.url());
            ds.setUser("root");
            ds.setCurrentSchema(schema);
            return ds;
        }

        @Override
        public void close() throws Exception {
            if (pgName != null) {
                try (Connection c = DriverManager.getConnection(Services.postgresUrl()); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + pgName + " WITH (FORCE)");
                }
            }
            if (h2Dir != null) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN");
                }
                try (Stream<Path> w = Files.walk(h2Dir)) {
                    w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

}
