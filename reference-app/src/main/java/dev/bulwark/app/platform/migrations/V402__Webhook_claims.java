package dev.bulwark.app.platform.migrations;

import dev.bulwark.webhook.WebhookStoreSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * webhook-verify's replay guard tells an event in progress (claimed under a processing lease) from one done: its
 * shipped DDL, applied again, adds {@code lease_until} and {@code claimed_by} to a {@code bulwark_webhook_seen} table
 * created by V101 before that (existing rows become done records). No-op on a database V101 created afterwards.
 */
public class V402__Webhook_claims extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        DdlResource.apply(context.getConnection(), WebhookStoreSchema.class, WebhookStoreSchema.RESOURCE);
    }
}
