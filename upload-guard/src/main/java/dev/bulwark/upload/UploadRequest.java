package dev.bulwark.upload;

import java.util.Objects;

/**
 * Who uploads what, as the application received it: the workspace it goes to (from the authenticated membership,
 * never from the request body), the purpose, and the untrusted name and declared type from the multipart part.
 *
 * @param uploadedBy the uploading principal's id, kept as metadata (may be null)
 */
public record UploadRequest(String workspaceId, String purpose, String originalName, String declaredType, String uploadedBy) {
    public UploadRequest {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(purpose, "purpose");
        if (workspaceId.isBlank() || workspaceId.length() > 128) throw new IllegalArgumentException("workspaceId must be 1..128 characters");
        if (uploadedBy != null && uploadedBy.length() > 255) throw new IllegalArgumentException("uploadedBy must be at most 255 characters");
    }

    public static UploadRequest of(String workspaceId, String purpose, String originalName, String declaredType) {
        return new UploadRequest(workspaceId, purpose, originalName, declaredType, null);
    }

    @Override
    public String toString() {
        // the original name may be personal data: keep it out of logs
        return "UploadRequest[" + workspaceId + ", " + purpose + "]";
    }
}
