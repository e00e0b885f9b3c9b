package dev.bulwark.upload;

import dev.bulwark.crypto.Keyring;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.bulwark.upload.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypted store behind the guard: round trip, tamper detection, workspace isolation, atomicity, deletion. */
class BlobStoreTest {
    private static final String A = "workspace-a";
    private static final String B = "workspace-b";
    @TempDir
    Path dir;
    Keyring keyring;
    UploadGuard guard;
    InMemoryUploadMetadataStore metadata;

    @BeforeEach
    void setUp() {
        keyring = keyring(A, B);
        metadata = new InMemoryUploadMetadataStore();
        guard = guard(keyring, dir.resolve("data"), metadata);
    }

    private StoredUpload storePng(String ws, byte[] png) throws Exception {
        return guard.store(new UploadRequest(ws, "images", "Holiday Photo.png", "image/png", "user-1"), new ByteArrayInputStream(png));
    }

    private static AccessCheck allow(String ws) {
        return AccessCheck.of(ws, u -> true);
    }

    @Test
    void storedFileRoundTripsThroughEncryption() throws Exception {
        byte[] png = png();
        StoredUpload s = storePng(A, png);
        assertThat(s.displayName()).isEqualTo("Holiday Photo.png");
        assertThat(s.contentType()).isEqualTo("image/png");
        assertThat(s.size()).isEqualTo(png.length);
        try (Download d = guard.open(s.id(), allow(A))) {
            assertThat(d.content().readAllBytes()).isEqualTo(png);
            assertThat(d.upload()).isEqualTo(s);
        }
    }

    @Test
    void blobOnDiskIsCiphertextUnderARandomNameInTheWorkspaceFolder() throws Exception {
        byte[] png = png();
        StoredUpload s = storePng(A, png);
        Path file = guard.blobStore().workspaceFolder(A).resolve(s.id().value());
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(new String(onDisk, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("IHDR").doesNotContain("Holiday");
        assertThat(onDisk.length).isGreaterThan(png.length);
        assertThat(file.getParent().getParent()).isEqualTo(guard.blobStore().root());
        assertThat(s.id().value()).matches("[0-9a-f]{32}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void tamperedCiphertextIsDetected() throws Exception {
        StoredUpload s = storePng(A, png());
        Path file = guard.blobStore().workspaceFolder(A).resolve(s.id().value());
        byte[] c = Files.readAllBytes(file);
        c[c.length / 2] ^= 0x01;
        Files.write(file, c);
        try (Download d = guard.open(s.id(), allow(A))) {
            assertThatThrownBy(() -> d.content().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncatedCiphertextIsDetected() throws Exception {
        StoredUpload s = storePng(A, png());
        Path file = guard.blobStore().workspaceFolder(A).resolve(s.id().value());
        byte[] c = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(c, c.length - 20));
        try (Download d = guard.open(s.id(), allow(A))) {
            assertThatThrownBy(() -> d.content().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void foreignWorkspaceDecisionCannotOpenTheBlob() throws Exception {
        StoredUpload s = storePng(A, png());
        assertThatThrownBy(() -> guard.open(s.id(), allow(B))).isInstanceOfSatisfying(DownloadDenied.class,
                d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.WRONG_WORKSPACE));
        assertThatThrownBy(() -> guard.describe(s.id(), allow(B))).isInstanceOf(DownloadDenied.class);
        assertThatThrownBy(() -> guard.delete(s.id(), allow(B))).isInstanceOf(DownloadDenied.class);
        assertThat(guard.list(allow(B))).isEmpty();
        assertThat(guard.list(allow(A))).extracting(StoredUpload::id).containsExactly(s.id());
    }

    @Test
    void foreignWorkspaceKeyCannotDecryptTheBlob() throws Exception {
        StoredUpload s = storePng(A, png());
        // Move A's ciphertext into B's folder under the same id: B's key (and context) must not decrypt it.
        Path from = guard.blobStore().workspaceFolder(A).resolve(s.id().value());
        Path bFolder = guard.blobStore().workspaceFolder(B);
        Files.createDirectories(bFolder);
        Files.copy(from, bFolder.resolve(s.id().value()), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> {
            try (InputStream in = guard.blobStore().read(B, s.id())) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void renamedBlobDoesNotDecryptUnderAnotherId() throws Exception {
        StoredUpload s1 = storePng(A, png());
        StoredUpload s2 = storePng(A, png());
        Path folder = guard.blobStore().workspaceFolder(A);
        Files.copy(folder.resolve(s1.id().value()), folder.resolve(s2.id().value()), StandardCopyOption.REPLACE_EXISTING);
        try (Download d = guard.open(s2.id(), allow(A))) {
            assertThatThrownBy(() -> d.content().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void accessCheckIsAskedOnEveryDownload() throws Exception {
        StoredUpload s = storePng(A, png());
        AtomicInteger asked = new AtomicInteger();
        AccessCheck onlyOwner = AccessCheck.of(A, u -> {
            asked.incrementAndGet();
            return "user-1".equals(u.uploadedBy());
        });
        guard.open(s.id(), onlyOwner).close();
        guard.open(s.id(), onlyOwner).close();
        assertThat(asked).hasValue(2);
        assertThatThrownBy(() -> guard.open(s.id(), AccessCheck.of(A, u -> false))).isInstanceOfSatisfying(
                DownloadDenied.class, d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.ACCESS_DENIED));
    }

    @Test
    void unknownIdIsNotFound() {
        assertThatThrownBy(() -> guard.open(BlobId.random(), allow(A))).isInstanceOfSatisfying(DownloadDenied.class,
                d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.NOT_FOUND));
    }

    @Test
    void blobIdsFromRequestsMustHaveTheExactShape() {
        assertThat(BlobId.parse("../../etc/passwd")).isEmpty();
        assertThat(BlobId.parse("0123456789ABCDEF0123456789abcdef")).isEmpty();
        assertThat(BlobId.parse("0123456789abcdef0123456789abcdef")).isPresent();
        assertThatThrownBy(() -> new BlobId("x/../y")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesCiphertextAndRecord() throws Exception {
        StoredUpload s = storePng(A, png());
        Path file = guard.blobStore().workspaceFolder(A).resolve(s.id().value());
        guard.delete(s.id(), allow(A));
        assertThat(file).doesNotExist();
        assertThat(metadata.find(s.id())).isEmpty();
        assertThatThrownBy(() -> guard.open(s.id(), allow(A))).isInstanceOf(DownloadDenied.class);
    }

    @Test
    void shreddedWorkspaceKeysMakeFilesAndNamesUnreadable() throws Exception {
        StoredUpload s = storePng(A, png());
        StoredUpload other = storePng(B, png());
        keyring.destroyWorkspaceKeys(A);
        assertThatThrownBy(() -> guard.open(s.id(), allow(A))).isInstanceOfSatisfying(DownloadDenied.class,
                d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.KEY_DESTROYED));
        assertThatThrownBy(() -> guard.blobStore().read(A, s.id())).isInstanceOf(dev.bulwark.crypto.KeyDestroyedException.class);
        try (Download d = guard.open(other.id(), allow(B))) {
            assertThat(d.content().readAllBytes()).isEqualTo(png());
        }
    }

    @Test
    void failedWriteLeavesNothingVisible() throws Exception {
        byte[] png = png();
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ < png.length / 2) return png[served - 1] & 0xFF;
                throw new IOException("client disconnected");
            }
        };
        assertThatThrownBy(() -> guard.store(UploadRequest.of(A, "images", "a.png", "image/png"), failing))
                .isInstanceOf(IOException.class).hasMessage("client disconnected");
        try (Stream<Path> files = Files.walk(guard.blobStore().root())) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(metadata.listWorkspace(A)).isEmpty();
    }

    @Test
    void failedMetadataInsertRemovesTheCommittedBlob() throws Exception {
        UploadMetadataStore broken = new InMemoryUploadMetadataStore();
        UploadMetadataStore failing = new UploadMetadataStore() {
            public void insert(UploadRecord record) { throw new UploadStoreException("database down", null); }
            public java.util.Optional<UploadRecord> find(BlobId id) { return broken.find(id); }
            public List<UploadRecord> listWorkspace(String w) { return broken.listWorkspace(w); }
            public boolean delete(BlobId id) { return broken.delete(id); }
            public int deleteWorkspace(String w) { return broken.deleteWorkspace(w); }
        };
        UploadGuard g = guard(keyring, dir.resolve("data2"), failing);
        assertThatThrownBy(() -> g.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png())))
                .isInstanceOf(UploadStoreException.class);
        try (Stream<Path> files = Files.walk(g.blobStore().root())) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void leftoverTempFilesAreInvisibleAndPurged() throws Exception {
        Path folder = guard.blobStore().workspaceFolder(A);
        Files.createDirectories(folder);
        Files.write(folder.resolve(EncryptedBlobStore.TEMP_PREFIX + "crashed"), new byte[] {1, 2, 3});
        assertThat(guard.list(allow(A))).isEmpty();
        assertThat(guard.blobStore().purgeTempFiles()).isEqualTo(1);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void dataDirectoryInsideTheWebRootIsRefused() {
        Path web = dir.resolve("public");
        assertThatThrownBy(() -> UploadGuard.builder().keyring(keyring).dataDirectory(web.resolve("uploads")).webRoot(web)
                .metadataStore(new InMemoryUploadMetadataStore()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the web root");
    }

    @Test
    void deletingAWorkspaceRemovesItsFolderAndRecordsOnly() throws Exception {
        StoredUpload a = storePng(A, png());
        StoredUpload b = storePng(B, png());
        assertThat(guard.deleteWorkspace(A)).isEqualTo(1);
        assertThat(guard.blobStore().workspaceFolder(A)).doesNotExist();
        assertThat(metadata.find(a.id())).isEmpty();
        guard.open(b.id(), allow(B)).close();
    }

    @Test
    void scannerRunsAfterBuiltInChecksAndCanRejectOrFailClosed() throws Exception {
        byte[] png = png();
        AtomicInteger scanned = new AtomicInteger();
        UploadGuard infected = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("s1"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> {
                    scanned.incrementAndGet();
                    try (InputStream in = subject.openContent()) {
                        assertThat(in.readAllBytes()).isEqualTo(png);
                    }
                    return UploadScanner.Verdict.infected("Test-Signature");
                }).build();
        assertThatThrownBy(() -> infected.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png)))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.MALWARE_DETECTED));
        assertThat(scanned).hasValue(1);
        // Built-in rejections come first: the scanner never sees HTML.
        assertThatThrownBy(() -> infected.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(html())))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.HTML_CONTENT));
        assertThat(scanned).hasValue(1);

        UploadGuard broken = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("s2"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> {
                    throw new IOException("clamd unreachable");
                }).build();
        assertThatThrownBy(() -> broken.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png)))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.SCANNER_FAILED));
        try (Stream<Path> files = Files.walk(dir.resolve("s1"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }

        UploadGuard clean = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("s3"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> UploadScanner.Verdict.passed()).build();
        StoredUpload s = clean.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png));
        clean.open(s.id(), allow(A)).close();
    }

    @Test
    void downloadHeadersForceAttachmentWithSafeFilename() throws Exception {
        StoredUpload s = guard.store(UploadRequest.of(A, "documents", "Rechnung März; 100%.pdf", "application/pdf"),
                new ByteArrayInputStream(validPdf()));
        try (Download d = guard.open(s.id(), allow(A))) {
            var h = d.headers();
            assertThat(h.get("Content-Disposition")).isEqualTo(
                    "attachment; filename=\"Rechnung M_rz_ 100_.pdf\"; filename*=UTF-8''Rechnung%20M%C3%A4rz%3B%20100%25.pdf");
            assertThat(h).containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("Content-Type", "application/pdf")
                    .containsEntry("Content-Length", Long.toString(s.size()));
            assertThat(h.get("Content-Security-Policy")).contains("sandbox").contains("default-src 'none'");
        }
        // Even a name that never passed FileNames cannot break out of the header.
        String hostile = DownloadHeaders.contentDisposition("a\"; filename=evil.html\r\nX: y");
        assertThat(hostile).doesNotContain("\r").doesNotContain("\n").startsWith("attachment; filename=\"a__ filename=evil.html__X: y\";");
    }
}
