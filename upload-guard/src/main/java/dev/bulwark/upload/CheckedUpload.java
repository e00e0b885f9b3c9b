package dev.bulwark.upload;

import org.apache.tika.mime.MediaType;

/**
 * An upload that passed every built-in check. Only {@link UploadGuard} creates one: holding it is proof the content
 * was streamed through the checks of its purpose.
 */
public final class CheckedUpload {
    private final String purpose;
    private final MediaType contentType;
    private final long size;
    private final FileNames.SafeName name;

    CheckedUpload(String purpose, MediaType contentType, long size, FileNames.SafeName name) {
        this.purpose = purpose;
        this.contentType = contentType;
        this.size = size;
        this.name = name;
    }

    public String purpose() {
        return purpose;
    }

    /** The type detected from the content (refined by the declared type only within the same family, e.g. CSV). */
    public MediaType contentType() {
        return contentType;
    }

    public long size() {
        return size;
    }

    /** The original name, validated and NFC-normalised: display metadata only, never a storage path. */
    public String displayName() {
        return name.displayName();
    }

    @Override
    public String toString() {
        return "CheckedUpload[" + purpose + ", " + contentType + ", " + size + " bytes]";
    }
}
