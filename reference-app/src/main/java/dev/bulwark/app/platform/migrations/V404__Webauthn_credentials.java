package dev.bulwark.app.platform.migrations;

import dev.bulwark.auth.AuthSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Security keys (ASVS 2.3.2): auth-guard's shipped DDL, applied again, adds {@code bulwark_auth_webauthn_credential}
 * and {@code bulwark_auth_webauthn_challenge} to a database V2 created before they existed (H2 and PostgreSQL; every
 * statement is {@code IF NOT EXISTS}, so this is a no-op on a database V2 created afterwards).
 */
public class V404__Webauthn_credentials extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        DdlResource.apply(context.getConnection(), AuthSchema.class, AuthSchema.RESOURCE);
    }
}
