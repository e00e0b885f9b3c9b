package dev.bulwark.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.bulwark.upload.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The size limit is exact: a file of exactly the limit is stored, one byte more is refused and leaves nothing. */
class SizeLimitTest {
    @TempDir
    Path dir;

    @Test
    void fileOfExactlyTheLimitIsAcceptedAndOneByteOverIsRejected() throws Exception {
        byte[] png = png();
        UploadPurpose exact = UploadPurpose.builder("exact").allow("image/png").maxBytes(png.length).build();
        UploadPurpose oneLess = UploadPurpose.builder("one-less").allow("image/png").maxBytes(png.length - 1).build();
        UploadGuard g = UploadGuard.builder().keyring(keyring("ws")).dataDirectory(dir)
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(exact, oneLess).build();

        StoredUpload s = g.store(UploadRequest.of("ws", "exact", "a.png", "image/png"), new ByteArrayInputStream(png));
        assertThat(s.size()).isEqualTo(png.length);

        assertThatThrownBy(() -> g.store(UploadRequest.of("ws", "one-less", "a.png", "image/png"), new ByteArrayInputStream(png)))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.TOO_LARGE));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1); // only the first upload
        }
    }

    @Test
    void endlessStreamIsCutOffOneBytePastTheLimit() throws Exception {
        long[] served = {0};
        java.io.InputStream endless = new java.io.InputStream() {
            @Override
            public int read() {
                served[0]++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                served[0] += len;
                return len;
            }
        };
        UploadPurpose small = UploadPurpose.builder("small").allow("text/plain").maxBytes(1_000_000).build();
        UploadGuard g = UploadGuard.builder().keyring(keyring("ws")).dataDirectory(dir)
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(small).build();
        assertThatThrownBy(() -> g.store(UploadRequest.of("ws", "small", "a.txt", "text/plain"), endless))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.TOO_LARGE));
        assertThat(served[0]).isEqualTo(1_000_001L);
    }
}
