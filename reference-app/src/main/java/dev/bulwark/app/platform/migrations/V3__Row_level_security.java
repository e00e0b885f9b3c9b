package dev.bulwark.app.platform.migrations;

import dev.bulwark.app.platform.Database;
import dev.bulwark.tenancy.RowLevelSecurity;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/** PostgreSQL only: every workspace table gets the tenancy module's row-level security policy (no-op on H2). */
public class V3__Row_level_security extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        var c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) return;
        for (String table : Database.WORKSPACE_TABLES) RowLevelSecurity.enable(c, table, "workspace_id");
    }
}
