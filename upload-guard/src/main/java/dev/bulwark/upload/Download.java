package dev.bulwark.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * An opened stored file: its metadata, the headers to serve it with and its decrypted content. Close it. The content
 * is authenticated segment by segment while it is read: a tampered or truncated file fails with an
 * {@link IOException} mid-stream, so send it with chunked encoding and abort the response on error.
 */
public final class Download implements AutoCloseable {
    private final StoredUpload upload;
    private final InputStream content;

    Download(StoredUpload upload, InputStream content) {
        this.upload = upload;
        this.content = content;
    }

    public StoredUpload upload() {
        return upload;
    }

    public InputStream content() {
        return content;
    }

    /** Content-Type, Content-Length, Content-Disposition (attachment), nosniff, sandbox CSP, no-store caching. */
    public Map<String, String> headers() {
        return DownloadHeaders.forFile(upload.displayName(), upload.contentType(), upload.size());
    }

    @Override
    public void close() throws IOException {
        content.close();
    }

    @Override
    public String toString() {
        return "Download[" + upload.id() + "]";
    }
}
