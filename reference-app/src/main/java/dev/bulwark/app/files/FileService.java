package dev.bulwark.app.files;

import dev.bulwark.app.platform.AppError;
import dev.bulwark.app.platform.Audit;
import dev.bulwark.app.platform.Req;
import dev.bulwark.audit.Details;
import dev.bulwark.audit.Outcome;
import dev.bulwark.tenancy.Permission;
import dev.bulwark.tenancy.TenantContext;
import dev.bulwark.upload.AccessCheck;
import dev.bulwark.upload.BlobId;
import dev.bulwark.upload.Download;
import dev.bulwark.upload.DownloadDenied;
import dev.bulwark.upload.StoredUpload;
import dev.bulwark.upload.UploadGuard;
import dev.bulwark.upload.UploadRejected;
import dev.bulwark.upload.UploadRequest;
import dev.bulwark.upload.UploadUsage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Files attached to customers, appointments and invoices: every upload goes through upload-guard (type from content,
 * size limit, hostile-file checks, encrypted store outside the web root); every download needs a visible attachment
 * row in the caller's workspace (tenancy scope) and then upload-guard's own workspace check.
 */
public final class FileService {
    public static final String PURPOSE = "attachments";

    public record FileInfo(String blobId, String name, String contentType, long size, String uploadedBy, long createdAtMs) {}

    /** What one member may keep attached in one workspace (ASVS 12.1.3): a number of files and their total size. */
    public record Quota(int files, long bytes) {
        public Quota {
            if (files < 1 || bytes < 1) throw new IllegalArgumentException("a quota allows at least one file of one byte");
        }
    }


    private final UploadGuard guard;
    private final AttachmentRepository attachments;
    private final Audit audit;
    private final Map<String, BiPredicate<TenantContext, String>> subjects;
    private final Quota quota;

    /** {@code subjects}: for each subject type, whether an id exists (and is visible) in the caller's workspace. */
    public FileService(UploadGuard guard, AttachmentRepository attachments, Audit audit, Map<String, BiPredicate<TenantContext, String>> subjects,
                       Quota quota) {
        this.guard = guard;
        this.attachments = attachments;
        this.audit = audit;
        this.subjects = subjects;
        this.quota = quota;
    }

    public FileInfo upload(Req req, TenantContext ctx, String subjectType, String subjectId, String name, String declaredType, byte[] content) {
        ctx.require(Permission.FILES_UPLOAD);
        BiPredicate<TenantContext, String> exists = subjects.get(subjectType);
        if (exists == null) throw AppError.invalid("subjectType", "must be customer, appointment or invoice");
        if (!exists.test(ctx, subjectId)) throw AppError.notFound();
        UploadUsage before = usage(ctx);
        if (before.files() + 1 > quota.files() || before.bytes() + content.length > quota.bytes()) {
            throw quotaExceeded(req, ctx, subjectType, subjectId, before);
        }
        StoredUpload s;
        try {
            s = guard.store(new UploadRequest(ctx.workspaceId(), PURPOSE, name, declaredType, ctx.memberId()), new ByteArrayInputStream(content));
        } catch (UploadRejected e) {
            audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "file.upload", subjectType, subjectId, Outcome.FAILURE, req,
                    Details.of("reason", e.reason().name()), false);
            if (e.reason() == UploadRejected.Reason.TOO_LARGE) throw new AppError(413, "file_too_large", e.reason().description());
            throw new AppError(415, "file_rejected", "The file was refused: " + e.reason().description() + ".",
                    Map.of("reason", e.reason().name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AttachmentRepository.Attachment row = new AttachmentRepository.Attachment(s.id().value(), subjectType, subjectId, ctx.memberId(), System.currentTimeMillis());
        attachments.insert(ctx, row);
        // Uploads running at the same time (on this node or another) all passed the check above: count again with this
        // file in, and take it back if together they went over, so the quota holds without a lock.
        UploadUsage after = usage(ctx);
        if (after.files() > quota.files() || after.bytes() > quota.bytes()) {
            remove(ctx, row);
            throw quotaExceeded(req, ctx, subjectType, subjectId, before);
        }
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "file.upload", subjectType, subjectId, Outcome.SUCCESS, req,
                Details.of("file", s.id().value(), "type", s.contentType()), false);
        return info(s);
    }

    public List<FileInfo> list(TenantContext ctx, String subjectType, String subjectId) {
        List<FileInfo> out = new ArrayList<>();
        AccessCheck access = AccessCheck.of(ctx.workspaceId(), u -> true);
        for (AttachmentRepository.Attachment a : attachments.of(ctx, subjectType, subjectId)) {
            Optional<BlobId> id = BlobId.parse(a.blobId());
            if (id.isEmpty()) continue;
            try {
                out.add(info(guard.describe(id.get(), access)));
            } catch (DownloadDenied e) {
                // a record whose blob is gone (or shredded): not listed
            }
        }
        return out;
    }

    /** Opens a file for download; 404 unless an attachment row is visible to the caller in this workspace. */
    public Download open(Req req, TenantContext ctx, String blobId) {
        Optional<BlobId> id = BlobId.parse(blobId);
        if (id.isEmpty()) throw AppError.notFound();
        AttachmentRepository.Attachment a = attachments.byBlob(ctx, blobId).orElseThrow(AppError::notFound);
        try {
            Download d = guard.open(id.get(), AccessCheck.of(ctx.workspaceId(), u -> u.id().value().equals(a.blobId())));
            audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "file.download", a.subjectType(), a.subjectId(), Outcome.SUCCESS, req,
                    Details.of("file", blobId), false);
            return d;
        } catch (DownloadDenied e) {
            throw AppError.notFound();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(Req req, TenantContext ctx, String blobId) {
        ctx.require(Permission.FILES_UPLOAD);
        AttachmentRepository.Attachment a = attachments.byBlob(ctx, BlobId.parse(blobId).map(BlobId::value).orElseThrow(AppError::notFound))
                .orElseThrow(AppError::notFound);
        remove(ctx, a);
        audit.workspace(ctx.workspaceId(), Audit.actor(req == null ? null : req.principal()), "file.delete", a.subjectType(), a.subjectId(),
                Outcome.SUCCESS, req, Details.of("file", blobId), false);
    }

    /** Deletes every file attached to the subject (used when the subject itself is deleted). */
    public int deleteAllOf(TenantContext ctx, String subjectType, String subjectId) {
        List<AttachmentRepository.Attachment> list = attachments.of(ctx, subjectType, subjectId);
        for (AttachmentRepository.Attachment a : list) remove(ctx, a);
        return list.size();
    }

    private void remove(TenantContext ctx, AttachmentRepository.Attachment a) {
        BlobId.parse(a.blobId()).ifPresent(id -> {
            try {
                guard.delete(id, AccessCheck.of(ctx.workspaceId(), u -> true));
            } catch (DownloadDenied e) {
                // already gone
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        attachments.delete(ctx, a.blobId());
    }

    /** The caller's files in this workspace and their total size: one aggregate over upload-guard's records. */
    private UploadUsage usage(TenantContext ctx) {
        return guard.usage(ctx.workspaceId(), ctx.memberId(), PURPOSE);
    }

    private AppError quotaExceeded(Req req, TenantContext ctx, String subjectType, String subjectId, UploadUsage usage) {
        audit.workspace(ctx.workspaceId(), Audit.actor(req.principal()), "file.upload", subjectType, subjectId, Outcome.DENIED, req,
                Details.of("reason", "QUOTA_EXCEEDED", "files", usage.files()), false);
        return new AppError(413, "upload_quota_exceeded", "You keep " + usage.files() + " file(s), " + usage.bytes() + " bytes, in this workspace; "
                + "the limit is " + quota.files() + " files and " + quota.bytes() + " bytes. Delete files you no longer need, then try again.",
                Map.of("reason", "QUOTA_EXCEEDED"));
    }

    private static FileInfo info(StoredUpload s) {
        return new FileInfo(s.id().value(), s.displayName(), s.contentType(), s.size(), s.uploadedBy(), s.createdAt().toEpochMilli());
    }
}
