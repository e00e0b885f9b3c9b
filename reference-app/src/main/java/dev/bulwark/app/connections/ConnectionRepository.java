package dev.bulwark.app.connections;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Connected services, pending authorisations and pushed calendar events. Tokens and PKCE verifiers are stored only as
 * ciphertext under core-crypto's connection-credentials keyset (encryption is done by {@link ConnectionService}).
 * A connection belongs to the member who made it: staff see and change only their own.
 */
public final class ConnectionRepository {
    static final ScopedTable CONNECTIONS = ScopedTable.named("prod_connections").reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE)
            .ownerColumn("member_id");
    static final ScopedTable PENDING = ScopedTable.named("prod_oauth_pending").reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE)
            .ownerColumn("member_id");
    static final ScopedTable EVENTS = ScopedTable.named("prod_calendar_events").reads(Permission.SCHEDULE_VIEW).writes(Permission.SCHEDULE_MANAGE)
            .ownerColumn("member_id");

    /** Stored form (ciphertext). */
    public record Row(String id, String memberId, String kind, String accessTokenEnc, String refreshTokenEnc, long expiresAtMs, String scope, long createdAtMs) {
        @Override
        public String toString() {
            return "Connection[" + id + ", " + kind + ", tokens=<redacted>]";
        }
    }

    private final TenantScopedJdbc jdbc;

    public ConnectionRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insertPending(TenantContext ctx, String id, String kind, String verifierEnc) {
        jdbc.insert(ctx, PENDING, Map.of("id", id, "member_id", ctx.memberId(), "kind", kind, "verifier_enc", verifierEnc,
                "created_at_ms", System.currentTimeMillis()));
    }

    /** Takes (reads and deletes) a pending authorisation of the calling member. */
    public Optional<String[]> takePending(TenantContext ctx, String id) {
        return jdbc.inTransaction(ctx, tx -> {
            Optional<String[]> p = tx.select(PENDING, "kind, verifier_enc, created_at_ms", Where.of("id = ? AND member_id = ?", id, ctx.memberId()),
                    rs -> new String[] {rs.getString(1), rs.getString(2), String.valueOf(rs.getLong(3))}).stream().findFirst();
            if (p.isPresent()) tx.delete(PENDING, Where.eq("id", id));
            return p;
        });
    }

    public void upsert(TenantContext ctx, Row r) {
        jdbc.inTransaction(ctx, tx -> {
            tx.delete(CONNECTIONS, Where.of("member_id = ? AND kind = ?", r.memberId(), r.kind()));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", r.id());
            v.put("member_id", r.memberId());
            v.put("kind", r.kind());
            v.put("access_token_enc", r.accessTokenEnc());
            v.put("refresh_token_enc", r.refreshTokenEnc());
            v.put("expires_at_ms", r.expiresAtMs());
            v.put("scope", r.scope());
            v.put("created_at_ms", r.createdAtMs());
            v.put("updated_at_ms", System.currentTimeMillis());
            return tx.insert(CONNECTIONS, v);
        });
    }

    public void updateTokens(TenantContext ctx, String id, String accessEnc, String refreshEnc, long expiresAtMs) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("access_token_enc", accessEnc);
        v.put("refresh_token_enc", refreshEnc);
        v.put("expires_at_ms", expiresAtMs);
        v.put("updated_at_ms", System.currentTimeMillis());
        jdbc.update(ctx, CONNECTIONS, v, Where.eq("id", id));
    }

    private static final String COLS = "id, member_id, kind, access_token_enc, refresh_token_enc, expires_at_ms, scope, created_at_ms";

    public List<Row> mine(TenantContext ctx) {
        return jdbc.select(ctx, CONNECTIONS, COLS, Where.eq("member_id", ctx.memberId()), "kind", 100, ConnectionRepository::row);
    }

    public Optional<Row> of(TenantContext ctx, String memberId, String kind) {
        return jdbc.select(ctx, CONNECTIONS, COLS, Where.of("member_id = ? AND kind = ?", memberId, kind), ConnectionRepository::row).stream().findFirst();
    }

    public boolean delete(TenantContext ctx, String id) {
        return jdbc.delete(ctx, CONNECTIONS, Where.of("id = ? AND member_id = ?", id, ctx.memberId())) == 1;
    }

    public boolean pushed(TenantContext ctx, String appointmentId, String connectionId) {
        return jdbc.count(ctx, EVENTS, Where.of("appointment_id = ? AND connection_id = ?", appointmentId, connectionId)) > 0;
    }

    public void recordPushed(TenantContext ctx, String appointmentId, String connectionId, String memberId, String providerEvent) {
        jdbc.insert(ctx, EVENTS, Map.of("appointment_id", appointmentId, "connection_id", connectionId, "member_id", memberId, "provider_event", providerEvent,
                "created_at_ms", System.currentTimeMillis()));
    }

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getString(7), rs.getLong(8));
    }
}
