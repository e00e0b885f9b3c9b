package dev.bulwark.app;

import dev.bulwark.app.backup.Ops;
import dev.bulwark.app.backup.OpsScheduler;
import dev.bulwark.app.retention.DataRetention;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.ChainId;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedule inside serve: due jobs run once (backup, then the drill on it, then retention), and are not repeated until due again. */
class OpsSchedulerIT {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aTickRunsTheDueBackupDrillAndRetentionOnceAndAuditsThem(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind, Map.of("BULWARK_BACKUP_INTERVAL", "P1D", "BULWARK_RESTORE_DRILL_INTERVAL", "P7D",
                "BULWARK_RETENTION_INTERVAL", "P1D"))) {
            env.seed("Scheduled", 2);
            Ops ops = env.ops();
            OpsScheduler scheduler = new OpsScheduler(ops, new DataRetention(env.db.dataSource(), env.db.postgres(), env.audit, Clock.systemUTC()),
                    env.db.dataSource(), Clock.systemUTC());
            scheduler.tick();
            assertThat(ops.backups().list()).hasSize(1);
            assertThat(ops.backups().list().get(0).id()).contains("-scheduled-");
            assertThat(ops.recentDrills(5)).hasSize(1).allSatisfy(d -> assertThat(d.passed()).as(d.summary()).isTrue());
            scheduler.tick();
            assertThat(ops.backups().list()).as("not due again within the interval").hasSize(1);
            assertThat(ops.recentDrills(5)).hasSize(1);
            assertThat(env.audit.log().query(AuditQuery.in(ChainId.PLATFORM).action("ops.backup"))).hasSize(1);
            assertThat(env.audit.log().query(AuditQuery.in(ChainId.PLATFORM).action("ops.restore_drill"))).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void switchedOffSchedulesRunNothing(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            Ops ops = env.ops();
            new OpsScheduler(ops, new DataRetention(env.db.dataSource(), env.db.postgres(), env.audit, Clock.systemUTC()), env.db.dataSource(),
                    Clock.systemUTC()).tick();
            assertThat(ops.backups().list()).isEmpty();
            assertThat(ops.recentDrills(5)).isEmpty();
        }
    }
}
