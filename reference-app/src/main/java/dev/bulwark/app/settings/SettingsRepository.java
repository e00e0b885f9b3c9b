package dev.bulwark.app.settings;

import dev.bulwark.app.platform.WorkspaceSettings;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workspace security settings through tenancy's scoped JDBC (and RLS on PostgreSQL): never without a TenantContext. */
public final class SettingsRepository {
    static final ScopedTable TABLE = ScopedTable.named("app_workspace_settings")
            .reads(Permission.WORKSPACE_VIEW).writes(Permission.WORKSPACE_SETTINGS_MANAGE);
    private final TenantScopedJdbc jdbc;

    public SettingsRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public WorkspaceSettings get(TenantContext ctx) {
        List<WorkspaceSettings> rows = jdbc.select(ctx, TABLE, "ip_allowlist, require_mfa, audit_retention_days", Where.all(),
                rs -> new WorkspaceSettings(split(rs.getString(1)), rs.getBoolean(2), rs.getInt(3)));
        return rows.isEmpty() ? WorkspaceSettings.DEFAULTS : rows.get(0);
    }

    /** Creates or replaces the row (owner/admin only: the table's write permission). */
    public void put(TenantContext ctx, WorkspaceSettings s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ip_allowlist", String.join(",", s.ipAllowlist()));
        v.put("require_mfa", s.requireMfa());
        v.put("audit_retention_days", s.auditRetentionDays());
        v.put("updated_at_ms", System.currentTimeMillis());
        jdbc.inTransaction(ctx, tx -> {
            if (tx.update(TABLE, v, Where.all()) == 0) tx.insert(TABLE, v);
            return null;
        });
    }

    private static List<String> split(String s) {
        if (s == null || s.isBlank()) return List.of();
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
