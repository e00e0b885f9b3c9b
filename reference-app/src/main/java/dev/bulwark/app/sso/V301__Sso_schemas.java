package dev.bulwark.app.sso;

import dev.bulwark.auth.sso.SsoStoreSchema;
import dev.bulwark.tenancy.RowLevelSecurity;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;
import java.util.Locale;

/**
 * Single sign-on (issue 12): auth-sso's own DDL (started OIDC sign-ins, shared by every node) and, on PostgreSQL, the
 * tenancy row-level security policy on the SSO workspace tables created by V300.
 */
public class V301__Sso_schemas extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        var c = context.getConnection();
        try (Statement s = c.createStatement()) {
            for (String stmt : SsoStoreSchema.ddl().replaceAll("(?m)^\\s*--.*$", "").split(";")) {
                if (!stmt.isBlank()) s.execute(stmt.strip());
            }
        }
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) return;
        for (String table : SsoTables.WORKSPACE_TABLES) RowLevelSecurity.enable(c, table, "workspace_id");
    }
}
