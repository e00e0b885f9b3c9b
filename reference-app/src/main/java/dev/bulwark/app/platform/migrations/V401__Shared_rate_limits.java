package dev.bulwark.app.platform.migrations;

import dev.bulwark.auth.AuthSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.util.Locale;

/**
 * PostgreSQL only: the table of auth-guard's Bucket4j PostgreSQL backend (from the DDL auth-guard ships), where rate-limit
 * buckets live when BULWARK_RATE_LIMIT_STORE is postgresql. Created on every PostgreSQL database, so switching the store
 * needs no migration; the app role gets plain DML on it like on every table. No-op on H2 (its limits are local).
 */
public class V401__Shared_rate_limits extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        var c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) return;
        DdlResource.apply(c, AuthSchema.class, AuthSchema.RATE_LIMIT_POSTGRESQL_RESOURCE);
    }
}
