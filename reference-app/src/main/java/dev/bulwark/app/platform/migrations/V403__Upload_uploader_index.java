package dev.bulwark.app.platform.migrations;

import dev.bulwark.upload.UploadStoreSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * upload-guard's shipped DDL, applied again: adds the {@code (workspace_id, uploaded_by)} index that per-member upload
 * quotas count with, to a {@code bulwark_upload} table V101 created before it existed. No-op on newer databases.
 */
public class V403__Upload_uploader_index extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        DdlResource.apply(context.getConnection(), UploadStoreSchema.class, UploadStoreSchema.RESOURCE);
    }
}
