package dev.bulwark.app.backup;

/** A backup, restore or drill that could not be done; {@link #reason()} is machine-readable, the message says what to do. */
public final class BackupException extends Exception {
    public enum Reason {
        /** No backup with that id, or none at all. */
        NOT_FOUND,
        /** The manifest does not decrypt/authenticate under the backups keyset, or is not a manifest. */
        MANIFEST_UNREADABLE,
        /** A part named by the manifest is missing from the backup directory. */
        PART_MISSING,
        /** A part's size or checksum differs from the manifest (corrupted or truncated file). */
        PART_CORRUPT,
        /** A part fails authenticated decryption (tampered, truncated, or another backup's part). */
        DECRYPTION_FAILED,
        /** The database tool or the SQL replay failed. */
        DUMP_FAILED,
        RESTORE_FAILED,
        /** Restored row counts, checksums or schema version differ from the manifest. */
        TABLE_MISMATCH,
        /** Restored upload files differ from the manifest. */
        FILE_MISMATCH,
        /** Sampled encrypted fields or files of live workspaces do not decrypt. */
        SAMPLE_UNREADABLE,
        /** The restore target is not empty, or --confirm was not given. */
        TARGET_REFUSED,
        /** Files could not be read or written. */
        IO
    }

    private final Reason reason;

    public BackupException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BackupException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
