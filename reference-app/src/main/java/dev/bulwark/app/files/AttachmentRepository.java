package dev.bulwark.app.files;

import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.ScopedTable;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.tenancy.TenantScopedJdbc;
import dev.bulwark.tenancy.Where;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which stored file (upload-guard blob) is attached to which customer, appointment or invoice. */
public final class AttachmentRepository {
    static final ScopedTable TABLE = ScopedTable.named("prod_attachments").reads(Permission.FILES_VIEW).writes(Permission.FILES_UPLOAD)
            .ownerColumn("uploaded_by");

    public record Attachment(String blobId, String subjectType, String subjectId, String uploadedBy, long createdAtMs) {}

    private final TenantScopedJdbc jdbc;

    public AttachmentRepository(TenantScopedJdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(TenantContext ctx, Attachment a) {
        jdbc.insert(ctx, TABLE, Map.of("blob_id", a.blobId(), "subject_type", a.subjectType(), "subject_id", a.subjectId(),
                "uploaded_by", a.uploadedBy(), "created_at_ms", a.createdAtMs()));
    }

    public List<Attachment> of(TenantContext ctx, String subjectType, String subjectId) {
        return jdbc.select(ctx, TABLE, "blob_id, subject_type, subject_id, uploaded_by, created_at_ms",
                Where.of("subject_type = ? AND subject_id = ?", subjectType, subjectId), "created_at_ms", 1000,
                rs -> new Attachment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
    }

    public Optional<Attachment> byBlob(TenantContext ctx, String blobId) {
        return jdbc.select(ctx, TABLE, "blob_id, subject_type, subject_id, uploaded_by, created_at_ms", Where.eq("blob_id", blobId),
                rs -> new Attachment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5))).stream().findFirst();
    }

    public void delete(TenantContext ctx, String blobId) {
        jdbc.delete(ctx, TABLE, Where.eq("blob_id", blobId));
    }
}
