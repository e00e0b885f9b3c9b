package dev.bulwark.app.catalog;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.ScopedTransaction;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.sql.SQLException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Profile, services, weekly hours and time off, through tenancy's scoped JDBC. */
public final class CatalogRepository {
    static final ScopedTable PROFILE = ScopedTable.named("prod_profile").reads(Permission.WORKSPACE_VIEW).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    static final ScopedTable SERVICES = ScopedTable.named("prod_services").reads(Permission.WORKSPACE_VIEW).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    static final ScopedTable HOURS = ScopedTable.named("prod_staff_hours").reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE)
            .ownerColumn("staff_member_id");
    static final ScopedTable TIME_OFF = ScopedTable.named("prod_time_off").reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE)
            .ownerColumn("staff_member_id");

    public record TimeOff(String id, String staffMemberId, long startsAtMs, long endsAtMs, String reason) {}

    private final TenantScopedJdbc jdbc;

    public CatalogRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public TenantScopedJdbc jdbc() {
        return jdbc;
    }

    public Profile profile(TenantContext ctx) {
        return jdbc.inTransaction(ctx, this::profile);
    }

    public Profile profile(ScopedTransaction tx) throws SQLException {
        List<Profile> l = tx.select(PROFILE, "time_zone, currency, booking_enabled", Where.all(),
                rs -> new Profile(ZoneId.of(rs.getString(1)), rs.getString(2), rs.getBoolean(3)));
        return l.isEmpty() ? Profile.DEFAULTS : l.get(0);
    }

    public void putProfile(TenantContext ctx, Profile p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("time_zone", p.zone().getId());
        v.put("currency", p.currency());
        v.put("booking_enabled", p.bookingEnabled());
        v.put("updated_at_ms", System.currentTimeMillis());
        jdbc.inTransaction(ctx, tx -> {
            if (tx.update(PROFILE, v, Where.all()) == 0) {
                v.put("next_invoice_number", 1L);
                tx.insert(PROFILE, v);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- services

    private static final String SERVICE_COLUMNS = "id, name, duration_min, buffer_min, price_minor, currency, active";

    public void insertService(TenantContext ctx, ServiceOffering s) {
        Map<String, Object> v = serviceValues(s);
        v.put("id", s.id());
        v.put("created_at_ms", System.currentTimeMillis());
        jdbc.insert(ctx, SERVICES, v);
    }

    public boolean updateService(TenantContext ctx, ServiceOffering s) {
        return jdbc.update(ctx, SERVICES, serviceValues(s), Where.eq("id", s.id())) == 1;
    }

    private static Map<String, Object> serviceValues(ServiceOffering s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", s.name());
        v.put("duration_min", s.durationMin());
        v.put("buffer_min", s.bufferMin());
        v.put("price_minor", s.priceMinor());
        v.put("currency", s.currency());
        v.put("active", s.active());
        return v;
    }

    public List<ServiceOffering> services(TenantContext ctx) {
        return jdbc.select(ctx, SERVICES, SERVICE_COLUMNS, Where.all(), "name", 1000, CatalogRepository::service);
    }

    public Optional<ServiceOffering> service(ScopedTransaction tx, String id) throws SQLException {
        return tx.select(SERVICES, SERVICE_COLUMNS, Where.eq("id", id), CatalogRepository::service).stream().findFirst();
    }

    public Optional<ServiceOffering> service(TenantContext ctx, String id) {
        return jdbc.inTransaction(ctx, tx -> service(tx, id));
    }

    private static ServiceOffering service(java.sql.ResultSet rs) throws SQLException {
        return new ServiceOffering(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getLong(5), rs.getString(6), rs.getBoolean(7));
    }

    // ---------------------------------------------------------------- hours and time off

    public WeeklyHours hours(ScopedTransaction tx, String staffMemberId) throws SQLException {
        return new WeeklyHours(tx.select(HOURS, "weekday, start_min, end_min", Where.eq("staff_member_id", staffMemberId),
                rs -> new WeeklyHours.Interval(rs.getInt(1), rs.getInt(2), rs.getInt(3))));
    }

    public WeeklyHours hours(TenantContext ctx, String staffMemberId) {
        return jdbc.inTransaction(ctx, tx -> hours(tx, staffMemberId));
    }

    /** Members with any working hours (the staff a customer can book). */
    public List<String> staffWithHours(TenantContext ctx) {
        return jdbc.select(ctx, HOURS, "staff_member_id", Where.all(), rs -> rs.getString(1)).stream().distinct().sorted().toList();
    }

    public void putHours(TenantContext ctx, String staffMemberId, WeeklyHours h) {
        jdbc.inTransaction(ctx, tx -> {
            tx.delete(HOURS, Where.eq("staff_member_id", staffMemberId));
            for (WeeklyHours.Interval i : h.intervals()) {
                tx.insert(HOURS, Map.of("staff_member_id", staffMemberId, "weekday", i.weekday(), "start_min", i.startMin(), "end_min", i.endMin()));
            }
            return null;
        });
    }

    public void insertTimeOff(TenantContext ctx, TimeOff t) {
        jdbc.insert(ctx, TIME_OFF, Map.of("id", t.id(), "staff_member_id", t.staffMemberId(), "starts_at_ms", t.startsAtMs(),
                "ends_at_ms", t.endsAtMs(), "reason", t.reason()));
    }

    public List<TimeOff> timeOff(ScopedTransaction tx, String staffMemberId, long fromMs, long toMs) throws SQLException {
        return tx.select(TIME_OFF, "id, staff_member_id, starts_at_ms, ends_at_ms, reason",
                Where.of("staff_member_id = ? AND ends_at_ms > ? AND starts_at_ms < ?", staffMemberId, fromMs, toMs), "starts_at_ms", 1000,
                rs -> new TimeOff(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
    }

    public List<TimeOff> timeOff(TenantContext ctx, String staffMemberId, long fromMs, long toMs) {
        return jdbc.inTransaction(ctx, tx -> timeOff(tx, staffMemberId, fromMs, toMs));
    }

    public boolean deleteTimeOff(TenantContext ctx, String id) {
        return jdbc.delete(ctx, TIME_OFF, Where.eq("id", id)) == 1;
    }
}
