package dev.bulwark.upload;

/** The blob or metadata store failed (I/O, database); not a verdict about the upload. */
public final class UploadStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UploadStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
