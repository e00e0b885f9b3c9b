package dev.bulwark.upload;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Run by {@link LargeUploadTest} in a JVM with a 64 MiB heap: streams 1 GiB through the check and the encrypted
 * store, reads it back, and prints the sizes and CRCs it saw. Exit code 0 only if every byte came back.
 */
public final class LargeUploadMain {
    static final long SIZE = 1L << 30;

    private LargeUploadMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String ws = "ws-large";
        UploadPurpose bulk = UploadPurpose.builder("bulk-text").allow("text/plain").maxBytes(SIZE).build();
        UploadGuard guard = UploadGuard.builder().keyring(Fixtures.keyring(ws)).dataDirectory(dir)
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(bulk).build();
        GeneratedText source = new GeneratedText(SIZE);
        StoredUpload stored = guard.store(UploadRequest.of(ws, "bulk-text", "big.txt", "text/plain"), source);
        CRC32 back = new CRC32();
        long read = 0;
        try (Download d = guard.open(stored.id(), AccessCheck.of(ws, u -> true)); InputStream in = d.content()) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                back.update(buf, 0, n);
                read += n;
            }
        }
        long onDisk = Files.size(guard.blobStore().workspaceFolder(ws).resolve(stored.id().value()));
        System.out.println("stored=" + stored.size() + " read=" + read + " onDisk=" + onDisk
                + " crcIn=" + source.crc.getValue() + " crcOut=" + back.getValue()
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
        boolean ok = stored.size() == SIZE && read == SIZE && source.crc.getValue() == back.getValue() && onDisk > SIZE;
        System.exit(ok ? 0 : 1);
    }

    /** Lines of printable text, produced on the fly (never held in memory), with a running CRC. */
    static final class GeneratedText extends InputStream {
        private final long size;
        private long produced;
        final CRC32 crc = new CRC32();

        GeneratedText(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) return -1;
            int n = (int) Math.min(len, size - produced);
            for (int i = 0; i < n; i++) {
                long p = produced + i;
                b[off + i] = (byte) (p % 64 == 63 ? '\n' : 'a' + (int) ((p / 64) % 26));
            }
            crc.update(b, off, n);
            produced += n;
            return n;
        }
    }
}
