package dev.bulwark.app.sso;

import java.util.List;

/** The single sign-on workspace tables (V300): each carries workspace_id and, on PostgreSQL, the tenancy RLS policy (V301). */
public final class SsoTables {
    private SsoTables() {}

    public static final List<String> WORKSPACE_TABLES = List.of("app_sso_settings", "app_sso_identities");
}
