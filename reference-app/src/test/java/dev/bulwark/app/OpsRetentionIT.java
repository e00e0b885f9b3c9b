package dev.bulwark.app;

import dev.bulwark.app.retention.DataRetention;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditEntry;
import dev.bulwark.audit.AuditEvent;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.JdbcAuditStore;
import dev.bulwark.audit.Outcome;
import dev.bulwark.audit.Retention;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The daily retention job deletes exactly what each workspace's policy says, and audits counts only. */
class OpsRetentionIT {
    private static final long DAY = 86_400_000L;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void retentionDeletesExactlyWhatThePolicySaysAndAuditsTheCounts(TestDatabase.Kind kind) throws Exception {
        try (OpsEnv env = OpsEnv.open(kind)) {
            long now = System.currentTimeMillis();
            OpsEnv.Seeded w1 = env.seed("Salon", 2);   // default policy: 30 days
            OpsEnv.Seeded w2 = env.seed("Clinic", 2);  // custom policy: 3 days
            String gone1 = w1.customers().get(0).id();
            String kept1 = w1.customers().get(1).id();
            String gone2 = w2.customers().get(0).id();
            appointment(env, w1.workspaceId(), "apt_old_deleted", gone1, now - 40 * DAY);
            appointment(env, w1.workspaceId(), "apt_recent_deleted", gone1, now - 5 * DAY);
            appointment(env, w1.workspaceId(), "apt_old_kept", kept1, now - 40 * DAY);
            appointment(env, w2.workspaceId(), "apt_w2_deleted", gone2, now - 5 * DAY);
            appointment(env, w2.workspaceId(), "apt_w2_future", gone2, now + 5 * DAY);
            env.customers().delete(w1.ctx(), gone1);
            env.customers().delete(w2.ctx(), gone2);

            DataRetention retention = new DataRetention(env.db.dataSource(), env.db.postgres(), env.audit, Clock.systemUTC());
            retention.setDeletedCustomerDays(w2.workspaceId(), 3);
            assertThat(retention.deletedCustomerDays(w1.workspaceId())).isEqualTo(30);
            assertThat(retention.deletedCustomerDays(w2.workspaceId())).isEqualTo(3);

            // Audit log of w1: 3 events 60 days old, 2 events 10 days old, retention 30 days.
            ChainId chain = ChainId.workspace(w1.workspaceId());
            AuditLog past = AuditLog.builder().store(new JdbcAuditStore(env.db.dataSource())).macKey(env.keys.auditKey())
                    .clock(Clock.fixed(Instant.ofEpochMilli(now - 60 * DAY), ZoneOffset.UTC)).build();
            AuditLog recent = AuditLog.builder().store(new JdbcAuditStore(env.db.dataSource())).macKey(env.keys.auditKey())
                    .clock(Clock.fixed(Instant.ofEpochMilli(now - 10 * DAY), ZoneOffset.UTC)).build();
            for (int i = 0; i < 3; i++) past.record(event(chain, w1.ownerId()));
            for (int i = 0; i < 2; i++) recent.record(event(chain, w1.ownerId()));
            env.audit.log().setRetention(chain, Retention.days(30));

            DataRetention.Result r = retention.run();
            assertThat(r.appointmentsRemoved()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(w1.workspaceId(), 1, w2.workspaceId(), 1));
            assertThat(r.auditEntriesRemoved()).containsEntry(chain.toString(), 3L);
            assertThat(appointments(env, w1.workspaceId())).containsExactlyInAnyOrder("apt_recent_deleted", "apt_old_kept");
            assertThat(appointments(env, w2.workspaceId())).containsExactly("apt_w2_future");
            assertThat(slots(env, "apt_old_deleted")).isZero();
            assertThat(slots(env, "apt_old_kept")).isEqualTo(1);

            List<AuditEntry> logged = env.audit.log().query(AuditQuery.in(chain).action("retention.deleted_customer_data"));
            assertThat(logged).hasSize(1);
            assertThat(logged.get(0).details().asMap()).containsEntry("appointments", "1").containsEntry("days", "30");
            assertThat(env.audit.log().query(AuditQuery.in(chain).action("retention.audit_pruned")).get(0).details().asMap()).containsEntry("removed", "3");
            assertThat(env.audit.log().verify(chain).intact()).isTrue();

            // A second run has nothing left to remove.
            DataRetention.Result again = retention.run();
            assertThat(again.totalAppointments()).isZero();
            assertThat(again.totalAuditEntries()).isZero();
        }
    }

    private static AuditEvent event(ChainId chain, String member) {
        return AuditEvent.in(chain).actor(Actor.member(member)).action("customer.view").outcome(Outcome.SUCCESS).build();
    }

    private static void appointment(OpsEnv env, String ws, String id, String customer, long endsAt) throws Exception {
        try (Connection c = env.owner()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prod_appointments (workspace_id, id, staff_member_id, service_id, customer_id, "
                    + "starts_at_ms, ends_at_ms, blocked_until_ms, status, source, created_at_ms, updated_at_ms) VALUES (?, ?, 'staff', 'svc', ?, ?, ?, ?, "
                    + "'booked', 'staff', ?, ?)")) {
                ps.setString(1, ws);
                ps.setString(2, id);
                ps.setString(3, customer);
                ps.setLong(4, endsAt - 3_600_000);
                ps.setLong(5, endsAt);
                ps.setLong(6, endsAt);
                ps.setLong(7, endsAt - DAY);
                ps.setLong(8, endsAt - DAY);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO prod_appointment_slots (workspace_id, staff_member_id, slot_ms, appointment_id) "
                    + "VALUES (?, 'staff', ?, ?)")) {
                ps.setString(1, ws);
                ps.setLong(2, endsAt - 3_600_000 - (Math.abs(id.hashCode()) % 1000) * 300_000L);
                ps.setString(3, id);
                ps.executeUpdate();
            }
        }
    }

    private static List<String> appointments(OpsEnv env, String ws) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = env.owner(); PreparedStatement ps = c.prepareStatement("SELECT id FROM prod_appointments WHERE workspace_id = ?")) {
            ps.setString(1, ws);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static long slots(OpsEnv env, String appointment) throws Exception {
        try (Connection c = env.owner(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM prod_appointment_slots WHERE appointment_id = ?")) {
            ps.setString(1, appointment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

}
