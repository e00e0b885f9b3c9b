package dev.bulwark.app.platform.migrations;

import dev.bulwark.audit.JdbcAuditStore;
import dev.bulwark.auth.AuthSchema;
import dev.bulwark.crypto.JdbcKeysetStore;
import dev.bulwark.links.LinkStoreSchema;
import dev.bulwark.tenancy.JdbcTenancyStore;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The library modules' tables, from the DDL each module ships, so the app never keeps a drifting copy:
 * keysets (core-crypto), workspaces and memberships (tenancy), auth-guard's stores, signed-links' stores, audit-log.
 */
public class V2__Module_schemas extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        var c = context.getConnection();
        DdlResource.apply(c, JdbcKeysetStore.class, JdbcKeysetStore.DDL_RESOURCE);
        DdlResource.apply(c, JdbcTenancyStore.class, JdbcTenancyStore.DDL_RESOURCE);
        DdlResource.apply(c, AuthSchema.class, AuthSchema.RESOURCE);
        DdlResource.apply(c, LinkStoreSchema.class, LinkStoreSchema.RESOURCE);
        DdlResource.apply(c, JdbcAuditStore.class, JdbcAuditStore.DDL_RESOURCE);
    }
}
