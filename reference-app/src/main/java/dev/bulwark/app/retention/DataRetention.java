package dev.bulwark.app.retention;

import dev.bulwark.app.platform.Audit;
import dev.bulwark.audit.Actor;
import dev.bulwark.audit.AuditLog;
import dev.bulwark.audit.ChainId;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.RowLevelSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily retention job. Audit logs: every chain is pruned to its own retention (workspace security settings: 30
 * days, 1 year or a custom number of days; a signed checkpoint keeps the rest verifiable). Data of deleted customers:
 * the past appointments (with their slots and calendar links) of customers who no longer exist are removed once they
 * ended more than the workspace's {@code deleted_customer_days} ago (default 30). Invoices and payments are kept: tax
 * law requires them, and they hold no customer contact data. Every removal is audited with counts, never content.
 */
public final class DataRetention {
    private static final Logger log = LoggerFactory.getLogger(DataRetention.class);
    public static final int DEFAULT_DELETED_CUSTOMER_DAYS = 30;
    public static final String JOB = "retention";

    private final DataSource ds;
    private final boolean postgres;
    private final Audit audit;
    private final Clock clock;

    public DataRetention(DataSource appDataSource, boolean postgres, Audit audit, Clock clock) {
        this.ds = appDataSource;
        this.postgres = postgres;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one run removed. */
    public record Result(Map<String, Long> auditEntriesRemoved, Map<String, Integer> appointmentsRemoved) {
        public long totalAuditEntries() {
            return auditEntriesRemoved.values().stream().mapToLong(Long::longValue).sum();
        }

        public int totalAppointments() {
            return appointmentsRemoved.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public void setDeletedCustomerDays(String workspaceId, int days) {
        if (days < 1 || days > 3650) throw new IllegalArgumentException("keep data of deleted customers between 1 and 3650 days");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("UPDATE ops_retention_policies SET deleted_customer_days = ?, updated_at_ms = ? WHERE workspace_id = ?")) {
                up.setInt(1, days);
                up.setLong(2, clock.millis());
                up.setString(3, workspaceId);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO ops_retention_policies (workspace_id, deleted_customer_days, updated_at_ms) VALUES (?, ?, ?)")) {
                        in.setString(1, workspaceId);
                        in.setInt(2, days);
                        in.setLong(3, clock.millis());
                        in.executeUpdate();
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the retention policy (SQLState " + e.getSQLState() + ")", e);
        }
    }

    public int deletedCustomerDays(String workspaceId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT deleted_customer_days FROM ops_retention_policies WHERE workspace_id = ?")) {
            ps.setString(1, workspaceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : DEFAULT_DELETED_CUSTOMER_DAYS;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the retention policy (SQLState " + e.getSQLState() + ")", e);
        }
    }

    public Result run() {
        Map<String, Long> audits = new LinkedHashMap<>();
        for (AuditLog.PruneResult p : audit.log().prune()) {
            if (p.removed() == 0) continue;
            audits.put(p.chain().toString(), p.removed());
            audit.record(p.chain(), Actor.system(JOB), "retention.audit_pruned", null, null, Outcome.SUCCESS, null, null,
                    Details.builder().put("removed", p.removed()).put("retention", p.retention().toString()).build(), false);
        }
        Map<String, Integer> appointments = new LinkedHashMap<>();
        for (String ws : liveWorkspaces()) {
            int days = deletedCustomerDays(ws);
            long cutoff = clock.millis() - days * 86_400_000L;
            int removed = removeDeletedCustomersAppointments(ws, cutoff);
            if (removed == 0) continue;
            appointments.put(ws, removed);
            audit.record(ChainId.workspace(ws), Actor.system(JOB), "retention.deleted_customer_data", null, null, Outcome.SUCCESS, null, null,
                    Details.builder().put("appointments", removed).put("days", days).build(), false);
        }
        Result r = new Result(audits, appointments);
        log.info("retention: removed {} audit entries in {} chain(s) and {} appointment(s) of deleted customers in {} workspace(s)",
                r.totalAuditEntries(), audits.size(), r.totalAppointments(), appointments.size());
        return r;
    }

    private List<String> liveWorkspaces() {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM bulwark_workspaces WHERE deleted_at_ms IS NULL ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list workspaces (SQLState " + e.getSQLState() + ")", e);
        }
        return out;
    }

    private int removeDeletedCustomersAppointments(String ws, long cutoffMs) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (postgres) RowLevelSecurity.setLocal(c, ws);
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT a.id FROM prod_appointments a WHERE a.workspace_id = ? AND a.ends_at_ms < ? "
                        + "AND NOT EXISTS (SELECT 1 FROM prod_customers cu WHERE cu.workspace_id = a.workspace_id AND cu.id = a.customer_id)")) {
                    ps.setString(1, ws);
                    ps.setLong(2, cutoffMs);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) ids.add(rs.getString(1));
                    }
                }
                for (String id : ids) {
                    for (String sql : List.of("DELETE FROM prod_appointment_slots WHERE workspace_id = ? AND appointment_id = ?",
                            "DELETE FROM prod_calendar_events WHERE workspace_id = ? AND appointment_id = ?",
                            "DELETE FROM prod_appointments WHERE workspace_id = ? AND id = ?")) {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            ps.setString(1, ws);
                            ps.setString(2, id);
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("retention of workspace " + ws + " failed (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
