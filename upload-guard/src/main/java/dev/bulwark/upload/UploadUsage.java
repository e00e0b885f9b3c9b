package dev.bulwark.upload;

/** How many files one uploader keeps in a workspace for one purpose, and their total size in bytes (for quotas). */
public record UploadUsage(long files, long bytes) {
    public static final UploadUsage NONE = new UploadUsage(0, 0);

    public UploadUsage {
        if (files < 0 || bytes < 0) throw new IllegalArgumentException("usage must not be negative");
    }
}
