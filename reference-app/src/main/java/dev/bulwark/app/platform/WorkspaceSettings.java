package dev.bulwark.app.platform;

import java.util.List;

/** A workspace's security settings (table app_workspace_settings, RLS on PostgreSQL). */
public record WorkspaceSettings(List<String> ipAllowlist, boolean requireMfa, int auditRetentionDays) {
    public static final WorkspaceSettings DEFAULTS = new WorkspaceSettings(List.of(), false, 365);
}
