package dev.bulwark.app.platform.migrations;

import dev.bulwark.app.product.ProductTables;
import dev.bulwark.tenancy.RowLevelSecurity;
import dev.bulwark.upload.UploadStoreSchema;
import dev.bulwark.webhook.WebhookStoreSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Product (part 2): the DDL shipped by upload-guard (file metadata) and webhook-verify (replay guard), and on
 * PostgreSQL the tenancy row-level security policy on every product workspace table created by V100.
 */
public class V101__Product_schemas extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        var c = context.getConnection();
        DdlResource.apply(c, UploadStoreSchema.class, UploadStoreSchema.RESOURCE);
        DdlResource.apply(c, WebhookStoreSchema.class, WebhookStoreSchema.RESOURCE);
        if (!c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) return;
        for (String table : ProductTables.WORKSPACE_TABLES) RowLevelSecurity.enable(c, table, "workspace_id");
    }
}
