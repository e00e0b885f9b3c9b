package dev.bulwark.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Walks a ZIP-family archive as it streams in, inflating every entry (and every archive nested in an entry, up to
 * the nesting limit) to count what it really expands to. Declared sizes are never trusted; inflation stops as soon
 * as a limit is crossed, so a 10 GB bomb costs a few megabytes of work.
 */
final class ArchiveInspector {
    private static final byte[] LOCAL_HEADER = {'P', 'K', 3, 4};

    private final ArchiveLimits limits;
    private final LongSupplier compressedBytesRead;
    private final byte[] scratch = new byte[32 * 1024];
    private long expanded;
    private int entries;

    /** Thrown inside the walk; carries the rejection out through the ZIP reader. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final transient UploadRejected rejection;

        Refused(UploadRejected rejection) {
            super(rejection.getMessage(), null);
            this.rejection = rejection;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    ArchiveInspector(ArchiveLimits limits, LongSupplier compressedBytesRead) {
        this.limits = limits;
        this.compressedBytesRead = compressedBytesRead;
    }

    /** Inspects the archive on {@code in}; returns normally if it is within limits. */
    void inspect(InputStream in) throws IOException {
        walk(in, 0);
    }

    private void walk(InputStream in, int depth) throws IOException {
        ZipInputStream zip = new ZipInputStream(new NonClosing(in));
        try {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (++entries > limits.maxEntries()) {
                    throw refused(UploadRejected.Reason.ARCHIVE_TOO_MANY_ENTRIES, "the archive has more than "
                            + limits.maxEntries() + " entries");
                }
                if (FileNames.isUnsafeArchivePath(entry.getName())) {
                    throw refused(UploadRejected.Reason.ARCHIVE_UNSAFE_ENTRY_NAME, null);
                }
                if (entry.isDirectory()) continue;
                byte[] head = zip.readNBytes(LOCAL_HEADER.length);
                count(head.length);
                if (head.length == LOCAL_HEADER.length && java.util.Arrays.equals(head, LOCAL_HEADER)) {
                    if (depth + 1 > limits.maxNestingDepth()) {
                        throw refused(UploadRejected.Reason.ARCHIVE_NESTED_TOO_DEEP, "archives are nested more than "
                                + limits.maxNestingDepth() + " level(s) deep");
                    }
                    walk(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(head), new Counting(zip)), depth + 1);
                }
                // Whatever is left of the entry (all of it, or the nested archive's trailing directory).
                int n;
                while ((n = zip.read(scratch, 0, scratch.length)) > 0) count(n);
            }
        } finally {
            zip.close(); // releases the inflater; the stream underneath stays open
        }
    }

    private void count(int n) throws Refused {
        expanded += n;
        if (expanded > limits.maxExpandedBytes()) {
            throw refused(UploadRejected.Reason.ARCHIVE_TOO_LARGE, "the archive expands beyond "
                    + limits.maxExpandedBytes() + " bytes");
        }
        if (expanded > ArchiveLimits.RATIO_GRACE_BYTES) {
            long compressed = Math.max(1, compressedBytesRead.getAsLong());
            if (expanded / compressed > limits.maxRatio()) {
                throw refused(UploadRejected.Reason.ARCHIVE_RATIO_EXCEEDED, "the archive expands more than "
                        + limits.maxRatio() + " times its size (compression bomb)");
            }
        }
    }

    private static Refused refused(UploadRejected.Reason reason, String message) {
        return new Refused(message == null ? new UploadRejected(reason) : new UploadRejected(reason, message));
    }

    /** Counts bytes a nested archive's reader pulls from the outer entry (they are expanded outer-level bytes). */
    private final class Counting extends FilterInputStream {
        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) count(1);
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count(n);
            return n;
        }

        @Override
        public void close() {
            // the outer reader owns the stream
        }
    }

    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
