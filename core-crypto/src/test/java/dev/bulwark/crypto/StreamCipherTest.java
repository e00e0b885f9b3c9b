package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamCipherTest {
    static final int SEGMENT = 1 << 20;
    final Keyring keyring = TestKeyrings.fresh();
    final StreamContext ctx = StreamContext.of("ws1", "upload-1");

    byte[] encrypt(byte[] plain, StreamContext c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream os = keyring.files().encrypting(out, c)) {
            os.write(plain);
        }
        return out.toByteArray();
    }

    byte[] decrypt(byte[] ct, StreamContext c) throws Exception {
        try (InputStream in = keyring.files().decrypting(new ByteArrayInputStream(ct), c)) {
            return in.readAllBytes();
        }
    }

    byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void multiSegmentStreamRoundTrips() throws Exception {
        byte[] plain = random(3 * SEGMENT + 12345);
        assertThat(decrypt(encrypt(plain, ctx), ctx)).isEqualTo(plain);
        assertThat(decrypt(encrypt(new byte[0], ctx), ctx)).isEmpty();
    }

    @Test
    void truncatedStreamIsDetected() throws Exception {
        byte[] ct = encrypt(random(3 * SEGMENT + 100), ctx);
        for (int cut : List.of(ct.length - 1, ct.length - 200, 2 * SEGMENT + 50, SEGMENT + 40 + 16 + 4)) {
            byte[] truncated = Arrays.copyOf(ct, cut);
            assertThatThrownBy(() -> decrypt(truncated, ctx)).as("cut at %d", cut).isInstanceOf(IOException.class);
        }
    }

    @Test
    void reorderedSegmentsAreDetected() throws Exception {
        byte[] ct = encrypt(random(3 * SEGMENT + 100), ctx);
        // Tink layout after our 4-byte header: a header (hlen bytes) then segments of SEGMENT bytes
        // (the first one shorter by the header length). Swap the second and third full segments.
        int hlen = ct[4] & 0xff;
        int firstEnd = 4 + SEGMENT;
        assertThat(hlen).isGreaterThan(0);
        byte[] swapped = ct.clone();
        System.arraycopy(ct, firstEnd + SEGMENT, swapped, firstEnd, SEGMENT);
        System.arraycopy(ct, firstEnd, swapped, firstEnd + SEGMENT, SEGMENT);
        assertThatThrownBy(() -> decrypt(swapped, ctx)).isInstanceOf(IOException.class);
    }

    @Test
    void flippedByteAnywhereIsDetected() throws Exception {
        byte[] ct = encrypt(random(SEGMENT + 500), ctx);
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] t = ct.clone();
            t[4 + r.nextInt(t.length - 4)] ^= 1;
            assertThatThrownBy(() -> decrypt(t, ctx)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void streamBoundToAnotherObjectOrWorkspaceIsRejected() throws Exception {
        byte[] ct = encrypt(random(1000), ctx);
        assertThatThrownBy(() -> decrypt(ct, StreamContext.of("ws1", "upload-2"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decrypt(ct, StreamContext.of("ws2", "upload-1"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> decrypt("not encrypted at all".getBytes(), ctx)).isInstanceOf(IOException.class)
                .hasMessageContaining("BWS1");
    }

    /**
     * 200 MB through encrypt and decrypt in a child JVM limited to 64 MB of heap: the memory bound is enforced by
     * the JVM (OutOfMemoryError), not by a timing or an estimate.
     */
    @Test
    void twoHundredMegabytesRoundTripInSixtyFourMegabytesOfHeap(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StreamMemoryCheck.class.getName(), dir.toString(), String.valueOf(200L * 1024 * 1024))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("OK 209715200 bytes");
        assertThat(Files.size(dir.resolve("cipher.bin"))).isGreaterThan(200L * 1024 * 1024);
    }
}
