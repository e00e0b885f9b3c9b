package dev.bulwark.benchmarks;

import dev.bulwark.crypto.InMemoryKeysetStore;
import dev.bulwark.crypto.Keyring;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.StreamContext;
import dev.bulwark.upload.AccessCheck;
import dev.bulwark.upload.CheckedUpload;
import dev.bulwark.upload.InMemoryUploadMetadataStore;
import dev.bulwark.upload.StoredUpload;
import dev.bulwark.upload.UploadGuard;
import dev.bulwark.upload.UploadPurpose;
import dev.bulwark.upload.UploadRequest;
import org.apache.tika.Tika;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * upload-guard: time to accept one file of 1 MiB or 100 MiB.
 * Ours: the full check (Tika magic, type/extension/declared agreement, polyglot and structure scans) streamed into
 * the encrypted store (AES-256-GCM-HKDF streaming, temp file, fsync, atomic rename), then deleted. Peer: raw
 * {@code Files.copy} of the same bytes to a new file plus {@code Tika.detect} of the same bytes, then deleted.
 * A second peer adds the fsyncs the store performs for atomic, durable writes; a check-only run (no store) shows
 * what the inspection alone costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UploadGuardBenchmark {
    private static final String WS = "ws-bench";

    @Param({"1", "100"})
    public int mebibytes;

    @Param({"png", "pdf"})
    public String type;

    private byte[] content;
    private String name;
    private String declared;
    private Path dir;
    private UploadGuard guard;
    private Tika tika;
    private Keyring keyring;
    private AccessCheck access;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        content = "png".equals(type) ? png(mebibytes << 20) : pdf(mebibytes << 20);
        name = "file." + type;
        declared = "png".equals(type) ? "image/png" : "application/pdf";
        dir = Files.createTempDirectory("upload-bench");
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        keyring = Keyring.builder().masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw), "bench"))
                .store(new InMemoryKeysetStore()).build();
        keyring.provisionShared(Keyring.DataInventory.EMPTY);
        keyring.createWorkspaceKeys(WS);
        UploadPurpose bench = UploadPurpose.builder("bench").allow("image/png").allow("application/pdf")
                .maxBytes(128L << 20).build();
        guard = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("blobs"))
                .metadataStore(new InMemoryUploadMetadataStore()).onlyPurposes(bench).build();
        tika = new Tika();
        access = AccessCheck.of(WS, u -> true);
        Files.createDirectories(dir.resolve("raw"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public long checkAndEncryptedStore() throws Exception {
        StoredUpload s = guard.store(UploadRequest.of(WS, "bench", name, declared), new ByteArrayInputStream(content));
        guard.delete(s.id(), access);
        return s.size();
    }

    @Benchmark
    public long checkOnly() throws Exception {
        CheckedUpload c = guard.check(UploadRequest.of(WS, "bench", name, declared), new ByteArrayInputStream(content));
        return c.size();
    }

    @Benchmark
    public long rawCopyAndTikaDetect() throws Exception {
        String detected = tika.detect(content);
        Path target = dir.resolve("raw").resolve("f" + System.nanoTime());
        long n = Files.copy(new ByteArrayInputStream(content), target);
        Files.delete(target);
        return n + detected.length();
    }

    /** The same peer plus what the store does for durability: fsync of the file and of its directory, on write and delete. */
    @Benchmark
    public long rawCopyFsyncAndTikaDetect() throws Exception {
        String detected = tika.detect(content);
        Path folder = dir.resolve("raw");
        Path target = folder.resolve("f" + System.nanoTime());
        long n = Files.copy(new ByteArrayInputStream(content), target);
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        syncDirectory(folder);
        Files.delete(target);
        syncDirectory(folder);
        return n + detected.length();
    }

    /**
     * The floor for any encrypted store: Tika.detect, then the same bytes through core-crypto's StreamCipher into a
     * new file, fsync of file and directory, delete. No checks, no temp file, no rename.
     */
    @Benchmark
    public long rawEncryptedCopyFsyncAndTikaDetect() throws Exception {
        String detected = tika.detect(content);
        Path folder = dir.resolve("raw");
        Path target = folder.resolve("f" + System.nanoTime());
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream enc = keyring.workspaceFiles(WS).encrypting(
                    new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024),
                    StreamContext.of(WS, target.getFileName().toString()));
            enc.write(content);
            enc.close();
        }
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        syncDirectory(folder);
        Files.delete(target);
        syncDirectory(folder);
        return content.length + detected.length();
    }

    private static void syncDirectory(Path folder) throws java.io.IOException {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** A PNG whose single IDAT chunk holds random (incompressible, photo-like) bytes. */
    static byte[] png(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.writeBytes(new byte[] {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 2, 0, 0, 0, 0, 0, 0, 0});
        int payload = size - out.size() - 12 - 12;
        byte[] data = new byte[payload];
        new Random(42).nextBytes(data);
        out.writeBytes(new byte[] {(byte) (payload >>> 24), (byte) (payload >>> 16), (byte) (payload >>> 8), (byte) payload, 'I', 'D', 'A', 'T'});
        out.writeBytes(data);
        out.writeBytes(new byte[4]);
        out.writeBytes(new byte[] {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82});
        return out.toByteArray();
    }

    /** A PDF whose bulk is one binary (image-like) stream of random bytes. */
    static byte[] pdf(int size) {
        String headerText = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n3 0 obj\n<< /Type /XObject /Subtype /Image "
                + "/Filter /DCTDecode /Length ";
        String trailer = "\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
        int payload = size - headerText.length() - trailer.length() - 32;
        byte[] data = new byte[payload];
        new Random(42).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes((headerText + payload + " >>\nstream\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        out.writeBytes(trailer.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
