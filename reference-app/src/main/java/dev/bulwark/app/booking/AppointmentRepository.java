package dev.bulwark.app.booking;

import dev.bulwark.app.privacy.PrivacyConsent;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appointments and their slot locks. Booking inserts the appointment and one prod_appointment_slots row per 5-minute
 * block it occupies in the same transaction; the slots' primary key (workspace, staff member, block) makes the
 * database refuse any overlap, so concurrent bookings of one time cannot both commit. Cancelling frees the blocks.
 */
public final class AppointmentRepository {
    public static final long BLOCK_MS = 5 * 60_000L;
    static final ScopedTable APPOINTMENTS = ScopedTable.named("prod_appointments").reads(Permission.SCHEDULE_VIEW)
            .writes(Permission.SCHEDULE_MANAGE).ownerColumn("staff_member_id");
    static final ScopedTable SLOTS = ScopedTable.named("prod_appointment_slots").reads(Permission.SCHEDULE_VIEW)
            .writes(Permission.SCHEDULE_MANAGE).ownerColumn("staff_member_id");
    private static final String COLUMNS = "id, staff_member_id, service_id, customer_id, starts_at_ms, ends_at_ms, blocked_until_ms, status, source, created_at_ms, "
            + "privacy_notice_version, privacy_accepted_at_ms";

    private final TenantScopedJdbc jdbc;

    public AppointmentRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public TenantScopedJdbc jdbc() {
        return jdbc;
    }

    /** Inserts the appointment and locks its blocks; a taken block fails the statement with a unique violation (23505). */
    public void insert(ScopedTransaction tx, Appointment a) throws SQLException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", a.id());
        v.put("staff_member_id", a.staffMemberId());
        v.put("service_id", a.serviceId());
        v.put("customer_id", a.customerId());
        v.put("starts_at_ms", a.startsAtMs());
        v.put("ends_at_ms", a.endsAtMs());
        v.put("blocked_until_ms", a.blockedUntilMs());
        v.put("status", a.status());
        v.put("source", a.source());
        v.put("created_at_ms", a.createdAtMs());
        v.put("updated_at_ms", a.createdAtMs());
        if (a.privacyConsent() != null) {
            v.put("privacy_notice_version", a.privacyConsent().noticeVersion());
            v.put("privacy_accepted_at_ms", a.privacyConsent().acceptedAt().toEpochMilli());
        }
        tx.insert(APPOINTMENTS, v);
        lock(tx, a.id(), a.staffMemberId(), a.startsAtMs(), a.blockedUntilMs());
    }

    private void lock(ScopedTransaction tx, String id, String staff, long from, long until) throws SQLException {
        for (long t = from; t < until; t += BLOCK_MS) {
            tx.insert(SLOTS, Map.of("staff_member_id", staff, "slot_ms", t, "appointment_id", id));
        }
    }

    public Optional<Appointment> byId(ScopedTransaction tx, String id) throws SQLException {
        return tx.select(APPOINTMENTS, COLUMNS, Where.eq("id", id), AppointmentRepository::map).stream().findFirst();
    }

    public Optional<Appointment> byId(TenantContext ctx, String id) {
        return jdbc.inTransaction(ctx, tx -> byId(tx, id));
    }

    public List<Appointment> between(TenantContext ctx, long fromMs, long toMs, String staffOrNull) {
        Where w = staffOrNull == null ? Where.of("starts_at_ms < ? AND ends_at_ms > ?", toMs, fromMs)
                : Where.of("starts_at_ms < ? AND ends_at_ms > ? AND staff_member_id = ?", toMs, fromMs, staffOrNull);
        return jdbc.select(ctx, APPOINTMENTS, COLUMNS, w, "starts_at_ms", 5000, AppointmentRepository::map);
    }

    /** Occupied block start times of one staff member in [from, to). */
    public List<Long> occupied(ScopedTransaction tx, String staff, long fromMs, long toMs) throws SQLException {
        return tx.select(SLOTS, "slot_ms", Where.of("staff_member_id = ? AND slot_ms >= ? AND slot_ms < ?", staff, fromMs, toMs),
                "slot_ms", 10_000, rs -> rs.getLong(1));
    }

    public void cancel(ScopedTransaction tx, Appointment a) throws SQLException {
        tx.delete(SLOTS, Where.eq("appointment_id", a.id()));
        tx.update(APPOINTMENTS, Map.of("status", Appointment.CANCELLED, "updated_at_ms", System.currentTimeMillis()), Where.eq("id", a.id()));
    }

    /** Moves the appointment: frees its blocks and locks the new ones in the caller's transaction. */
    public void move(ScopedTransaction tx, Appointment a, long start, long end, long blockedUntil) throws SQLException {
        tx.delete(SLOTS, Where.eq("appointment_id", a.id()));
        tx.update(APPOINTMENTS, Map.of("starts_at_ms", start, "ends_at_ms", end, "blocked_until_ms", blockedUntil,
                "updated_at_ms", System.currentTimeMillis()), Where.eq("id", a.id()));
        lock(tx, a.id(), a.staffMemberId(), start, blockedUntil);
    }

    static Appointment map(ResultSet rs) throws SQLException {
        String privacyVersion = rs.getString(11);
        return new Appointment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getString(8), rs.getString(9), rs.getLong(10),
                privacyVersion == null ? null : new PrivacyConsent(privacyVersion, Instant.ofEpochMilli(rs.getLong(12))));
    }
}
