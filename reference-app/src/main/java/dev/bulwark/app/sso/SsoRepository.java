package dev.bulwark.app.sso;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SSO settings and identity pins through tenancy's scoped JDBC (and RLS on PostgreSQL): never without a TenantContext.
 * The full settings row (ciphertext included) needs WORKSPACE_SETTINGS_MANAGE; any member may read the two policy
 * flags (require SSO, owner break-glass), which the workspace guard checks on every request. SSO-bound sessions are a
 * platform table read by session id.
 */
public final class SsoRepository {
    static final ScopedTable SETTINGS = ScopedTable.named("app_sso_settings")
            .reads(Permission.WORKSPACE_SETTINGS_MANAGE).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    static final ScopedTable POLICY = ScopedTable.named("app_sso_settings")
            .reads(Permission.WORKSPACE_VIEW).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    static final ScopedTable IDENTITIES = ScopedTable.named("app_sso_identities")
            .reads(Permission.WORKSPACE_SETTINGS_MANAGE).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    private static final String COLS = "require_sso, owner_break_glass, oidc_issuer, oidc_client_id, oidc_client_secret_enc, "
            + "oidc_allowed_domains, oidc_jit_role, ldap_host, ldap_port, ldap_transport, ldap_bind_dn, ldap_service_password_enc, "
            + "ldap_user_base, ldap_user_filter, ldap_group_roles, ldap_default_role, tls_ca_pem, updated_at_ms";

    /** A session started by SSO, bound to one workspace. */
    public record Binding(String sessionId, String workspaceId, String userId, String method, Instant createdAt) {}

    /** The workspace's "require SSO" and "owner break-glass" flags. */
    public record Policy(boolean requireSso, boolean ownerBreakGlass) {}

    private final TenantScopedJdbc jdbc;
    private final DataSource ds;

    public SsoRepository(DataSource ds) {
        this.ds = ds;
        this.jdbc = TenantScopedJdbc.builder().dataSource(ds).build();
    }

    public SsoSettings get(TenantContext ctx) {
        List<SsoSettings> rows = jdbc.select(ctx, SETTINGS, COLS, Where.all(), rs -> {
            Optional<SsoSettings.Oidc> oidc = Optional.ofNullable(rs.getString(3)).map(issuer -> {
                try {
                    return new SsoSettings.Oidc(issuer, rs.getString(4), rs.getString(5), split(rs.getString(6)),
                            Optional.ofNullable(rs.getString(7)));
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Optional<SsoSettings.Ldap> ldap = Optional.empty();
            if (rs.getString(8) != null) {
                List<SsoSettings.GroupRole> groups = new ArrayList<>();
                String g = rs.getString(15);
                if (g != null && !g.isEmpty()) {
                    for (Object o : new JsonArray(g)) {
                        JsonObject j = (JsonObject) o;
                        groups.add(new SsoSettings.GroupRole(j.getString("role"), j.getString("group")));
                    }
                }
                ldap = Optional.of(new SsoSettings.Ldap(rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getString(14), List.copyOf(groups), Optional.ofNullable(rs.getString(16))));
            }
            return new SsoSettings(rs.getBoolean(1), rs.getBoolean(2), oidc, ldap, Optional.ofNullable(rs.getString(17)), rs.getLong(18));
        });
        return rows.isEmpty() ? SsoSettings.DEFAULTS : rows.get(0);
    }

    public Policy policy(TenantContext ctx) {
        List<Policy> rows = jdbc.select(ctx, POLICY, "require_sso, owner_break_glass", Where.all(),
                rs -> new Policy(rs.getBoolean(1), rs.getBoolean(2)));
        return rows.isEmpty() ? new Policy(false, true) : rows.get(0);
    }

    /** Creates or replaces the row (owner/admin only: the table's write permission). */
    public void put(TenantContext ctx, SsoSettings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("require_sso", s.requireSso());
        v.put("owner_break_glass", s.ownerBreakGlass());
        SsoSettings.Oidc o = s.oidc().orElse(null);
        v.put("oidc_issuer", o == null ? null : o.issuer());
        v.put("oidc_client_id", o == null ? null : o.clientId());
        v.put("oidc_client_secret_enc", o == null ? null : o.clientSecretEnc());
        v.put("oidc_allowed_domains", o == null ? null : String.join(",", o.allowedDomains()));
        v.put("oidc_jit_role", o == null ? null : o.jitRole().orElse(null));
        SsoSettings.Ldap l = s.ldap().orElse(null);
        v.put("ldap_host", l == null ? null : l.host());
        v.put("ldap_port", l == null ? null : l.port());
        v.put("ldap_transport", l == null ? null : l.transport());
        v.put("ldap_bind_dn", l == null ? null : l.bindDn());
        v.put("ldap_service_password_enc", l == null ? null : l.servicePasswordEnc());
        v.put("ldap_user_base", l == null ? null : l.userBase());
        v.put("ldap_user_filter", l == null ? null : l.userFilter());
        JsonArray groups = new JsonArray();
        if (l != null) for (SsoSettings.GroupRole g : l.groupRoles()) groups.add(new JsonObject().put("role", g.role()).put("group", g.groupDn()));
        v.put("ldap_group_roles", l == null ? null : groups.encode());
        v.put("ldap_default_role", l == null ? null : l.defaultRole().orElse(null));
        v.put("tls_ca_pem", s.tlsCaPem().orElse(null));
        v.put("updated_at_ms", s.updatedAtMs());
        jdbc.inTransaction(ctx, tx -> {
            if (tx.update(SETTINGS, v, Where.all()) == 0) tx.insert(SETTINGS, v);
            return null;
        });
    }

    /** The provider identity pinned to this member for this method, if any. */
    public Optional<String> pinnedSubject(TenantContext ctx, String userId, String method) {
        List<String> rows = jdbc.select(ctx, IDENTITIES, "subject", Where.of("user_id = ? AND method = ?", userId, method), rs -> rs.getString(1));
        return rows.stream().findFirst();
    }

    /** Pins the identity on first use. Returns false if another member of the workspace already holds this identity. */
    public boolean pin(TenantContext ctx, String userId, String method, String subject) {
        return jdbc.inTransaction(ctx, tx -> {
            if (tx.count(IDENTITIES, Where.of("method = ? AND subject = ? AND user_id <> ?", method, subject, userId)) > 0) return false;
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("user_id", userId);
            v.put("method", method);
            v.put("subject", subject);
            v.put("linked_at_ms", System.currentTimeMillis());
            tx.insert(IDENTITIES, v);
            return true;
        });
    }

    /** Forgets every pinned identity of the workspace for a method (when its provider or directory changes). */
    public int unpinAll(TenantContext ctx, String method) {
        return jdbc.delete(ctx, IDENTITIES, Where.eq("method", method));
    }

    // ------------------------------------------------------------------ SSO-bound sessions (platform table)

    public void bindSession(String sessionId, String workspaceId, String userId, String method) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO app_sso_sessions (session_id, workspace_id, user_id, method, created_at_ms) VALUES (?,?,?,?,?)")) {
            ps.setString(1, sessionId);
            ps.setString(2, workspaceId);
            ps.setString(3, userId);
            ps.setString(4, method);
            ps.setLong(5, System.currentTimeMillis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot bind an SSO session: " + e.getSQLState(), e);
        }
    }

    public Optional<Binding> binding(String sessionId) {
        if (sessionId == null) return Optional.empty();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT workspace_id, user_id, method, created_at_ms FROM app_sso_sessions WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Binding(sessionId, rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read an SSO session: " + e.getSQLState(), e);
        }
    }

    /** Drops bindings of sessions that no longer exist. */
    public int purgeEndedSessions() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM app_sso_sessions WHERE session_id NOT IN (SELECT session_id FROM bulwark_auth_session)")) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge SSO sessions: " + e.getSQLState(), e);
        }
    }

    private static List<String> split(String s) {
        if (s == null || s.isBlank()) return List.of();
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
