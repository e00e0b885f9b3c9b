package dev.bulwark.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Memory stays constant: a 1 GiB upload goes through the check and the encrypted store in a JVM with -Xmx64m. */
class LargeUploadTest {
    @TempDir
    Path dir;

    @Test
    void oneGibibyteStreamPassesCheckAndEncryptedStoreWith64MiBHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LargeUploadMain.class.getName(), dir.toString())).redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("stored=1073741824 read=1073741824");
        String heap = output.replaceAll("(?s).*maxHeap=(\\d+).*", "$1");
        assertThat(Long.parseLong(heap)).isLessThanOrEqualTo(64L << 20);
    }
}
