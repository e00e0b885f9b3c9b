package dev.bulwark.upload;

import dev.bulwark.crypto.Keyring;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.bulwark.upload.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard's contract around the checks: configuration, listing and describing under access checks, scanner input. */
class GuardBehaviourTest {
    private static final String A = "workspace-a";
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    @TempDir
    Path dir;
    Keyring keyring;
    InMemoryUploadMetadataStore metadata;
    UploadGuard guard;

    @BeforeEach
    void setUp() {
        keyring = keyring(A);
        metadata = new InMemoryUploadMetadataStore();
        guard = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("data")).metadataStore(metadata)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    StoredUpload store(String purpose, String name, String type, byte[] content) throws Exception {
        return guard.store(new UploadRequest(A, purpose, name, type, "user-7"), new ByteArrayInputStream(content));
    }

    @Test
    void storedUploadCarriesTheCheckedFactsAndTheClockTime() throws Exception {
        byte[] csv = text("name,email\nAda,ada@example.com\n");
        StoredUpload s = store("csv-import", "Kunden Ma\u0308rz.csv", "application/vnd.ms-excel", csv);
        assertThat(s.workspaceId()).isEqualTo(A);
        assertThat(s.purpose()).isEqualTo("csv-import");
        assertThat(s.contentType()).isEqualTo("text/csv");
        assertThat(s.size()).isEqualTo(csv.length);
        assertThat(s.displayName()).isEqualTo("Kunden M\u00e4rz.csv");     // NFC
        assertThat(s.uploadedBy()).isEqualTo("user-7");
        assertThat(s.createdAt()).isEqualTo(NOW);
        assertThat(guard.describe(s.id(), AccessCheck.of(A, u -> true))).isEqualTo(s);
        UploadRecord record = metadata.find(s.id()).orElseThrow();
        assertThat(record.encryptedDisplayName()).doesNotContain("Kunden");
        assertThat(record.createdAt()).isEqualTo(NOW);
    }

    @Test
    void checkValidatesWithoutKeepingAnything() throws Exception {
        CheckedUpload c = guard.check(UploadRequest.of(A, "images", "Photo.PNG", "image/png"), new ByteArrayInputStream(png()));
        assertThat(c.displayName()).isEqualTo("Photo.PNG");
        assertThat(c.contentType()).isEqualTo(ContentTypes.PNG);
        assertThat(metadata.listWorkspace(A)).isEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void listReturnsOnlyTheFilesTheAccessCheckPermits() throws Exception {
        StoredUpload mine = store("images", "mine.png", "image/png", png());
        StoredUpload theirs = guard.store(new UploadRequest(A, "images", "theirs.png", "image/png", "user-8"),
                new ByteArrayInputStream(png()));
        assertThat(guard.list(AccessCheck.of(A, u -> "user-7".equals(u.uploadedBy())))).containsExactly(mine);
        assertThat(guard.list(AccessCheck.of(A, u -> true))).containsExactlyInAnyOrder(mine, theirs);
        assertThat(guard.list(AccessCheck.of(A, u -> false))).isEmpty();
        assertThatThrownBy(() -> guard.describe(theirs.id(), AccessCheck.of(A, u -> false)))
                .isInstanceOfSatisfying(DownloadDenied.class, d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.ACCESS_DENIED));
    }

    @Test
    void listIgnoresRecordsOfAnotherWorkspaceEvenIfTheStoreReturnsThem() throws Exception {
        StoredUpload s = store("images", "a.png", "image/png", png());
        UploadRecord foreign = metadata.find(s.id()).orElseThrow();
        UploadMetadataStore leaky = new UploadMetadataStore() {
            public void insert(UploadRecord r) { metadata.insert(r); }
            public java.util.Optional<UploadRecord> find(BlobId id) { return metadata.find(id); }
            public List<UploadRecord> listWorkspace(String w) { return List.of(foreign); }   // a buggy store
            public boolean delete(BlobId id) { return metadata.delete(id); }
            public int deleteWorkspace(String w) { return metadata.deleteWorkspace(w); }
        };
        keyring.createWorkspaceKeys("workspace-b");
        UploadGuard g = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("data")).metadataStore(leaky).build();
        assertThat(g.list(AccessCheck.of("workspace-b", u -> true))).isEmpty();
        // The default usage walk applies the same workspace check to what a buggy store returns.
        assertThat(g.usage("workspace-b", "user-7", "images")).isEqualTo(UploadUsage.NONE);
        assertThat(guard.usage(A, "user-7", "images")).isEqualTo(new UploadUsage(1, s.size()));
    }

    @Test
    void usageCountsWhatTheUploaderStoredForThePurposeAndFollowsDeletes() throws Exception {
        assertThat(guard.usage(A, "user-7", "images")).isEqualTo(UploadUsage.NONE);
        StoredUpload first = store("images", "one.png", "image/png", png());
        StoredUpload second = store("images", "two.png", "image/png", png());
        guard.store(new UploadRequest(A, "images", "theirs.png", "image/png", "user-8"), new ByteArrayInputStream(png()));
        assertThat(guard.usage(A, "user-7", "images")).isEqualTo(new UploadUsage(2, first.size() + second.size()));
        assertThat(guard.usage(A, "user-8", "images")).isEqualTo(new UploadUsage(1, first.size()));
        guard.delete(first.id(), AccessCheck.of(A, u -> true));
        assertThat(guard.usage(A, "user-7", "images")).isEqualTo(new UploadUsage(1, second.size()));
        assertThatThrownBy(() -> guard.usage(null, "user-7", "images")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> guard.usage(A, null, "images")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> guard.usage(A, "user-7", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void scannerSeesTheCheckedTypeSizePurposeAndPlaintextAndNullVerdictFailsClosed() throws Exception {
        byte[] png = png();
        List<String> seen = new ArrayList<>();
        UploadGuard scanned = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("scanned"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> {
                    seen.add(subject.purpose() + " " + subject.contentType() + " " + subject.size());
                    for (int i = 0; i < 2; i++) {
                        try (InputStream in = subject.openContent()) {
                            assertThat(in.readAllBytes()).isEqualTo(png);
                        }
                    }
                    return UploadScanner.Verdict.passed();
                }).build();
        scanned.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png));
        assertThat(seen).containsExactly("images image/png " + png.length);

        UploadGuard silent = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("silent"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> null).build();
        assertThatThrownBy(() -> silent.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png)))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.SCANNER_FAILED));
        UploadGuard crashing = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("crashing"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> {
                    throw new IllegalStateException("scanner bug");
                }).build();
        assertThatThrownBy(() -> crashing.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png)))
                .isInstanceOfSatisfying(UploadRejected.class, r -> assertThat(r.reason()).isEqualTo(UploadRejected.Reason.SCANNER_FAILED));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve("scanned")))).isEmpty();
        }
    }

    @Test
    void malwareVerdictNamesTheThreat() {
        UploadGuard infected = UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("infected"))
                .metadataStore(new InMemoryUploadMetadataStore()).scanner(subject -> UploadScanner.Verdict.infected(null)).build();
        assertThatThrownBy(() -> infected.store(UploadRequest.of(A, "images", "a.png", "image/png"), new ByteArrayInputStream(png())))
                .isInstanceOfSatisfying(UploadRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(UploadRejected.Reason.MALWARE_DETECTED);
                    assertThat(r.getMessage()).contains("unnamed threat");
                });
    }

    @Test
    void unknownPurposeNamesTheConfiguredOnes() {
        assertThatThrownBy(() -> guard.check(UploadRequest.of(A, "avatars", "a.png", "image/png"), new ByteArrayInputStream(png())))
                .isInstanceOfSatisfying(UploadRejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(UploadRejected.Reason.UNKNOWN_PURPOSE);
                    assertThat(r.getMessage()).contains("images").contains("csv-import");
                });
    }

    @Test
    void builderRequiresKeyringDirectoryStoreAndAPurpose() {
        Path d = dir.resolve("b");
        InMemoryUploadMetadataStore m = new InMemoryUploadMetadataStore();
        assertThatThrownBy(() -> UploadGuard.builder().dataDirectory(d).metadataStore(m).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> UploadGuard.builder().keyring(keyring).metadataStore(m).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> UploadGuard.builder().keyring(keyring).dataDirectory(d).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> UploadGuard.builder().keyring(keyring).dataDirectory(d).metadataStore(m).onlyPurposes().build())
                .isInstanceOf(IllegalStateException.class);
        UploadGuard only = UploadGuard.builder().keyring(keyring).dataDirectory(d).metadataStore(m)
                .onlyPurposes(UploadPurpose.documents()).build();
        assertThat(only.purposes().keySet()).containsExactly("documents");
        assertThat(guard.purposes().keySet()).containsExactly("images", "documents", "attachments", "csv-import");
    }

    @Test
    void dataDirectoryReachedThroughASymlinkIntoTheWebRootIsRefused() throws Exception {
        Path web = Files.createDirectories(dir.resolve("www"));
        Path inside = Files.createDirectories(web.resolve("files"));
        Path link = Files.createSymbolicLink(dir.resolve("uploads-link"), inside);
        assertThatThrownBy(() -> UploadGuard.builder().keyring(keyring).dataDirectory(link).webRoot(web)
                .metadataStore(new InMemoryUploadMetadataStore()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the web root");
        // a sibling of the web root is fine
        UploadGuard.builder().keyring(keyring).dataDirectory(dir.resolve("www-data")).webRoot(web)
                .webRoot(dir.resolve("not-created-yet")).metadataStore(new InMemoryUploadMetadataStore()).build();
    }

    @Test
    void deletingAWorkspaceCountsItsFilesAndAnEmptyOneHasNone() throws Exception {
        store("images", "a.png", "image/png", png());
        store("documents", "b.pdf", "application/pdf", validPdf());
        assertThat(guard.deleteWorkspace(A)).isEqualTo(2);
        assertThat(guard.deleteWorkspace(A)).isZero();
        assertThat(metadata.listWorkspace(A)).isEmpty();
    }

    @Test
    void purgeIgnoresFinishedBlobsAndStrayFiles() throws Exception {
        StoredUpload s = store("images", "a.png", "image/png", png());
        Path root = guard.blobStore().root();
        Files.write(root.resolve("stray-file"), new byte[] {1});
        Path folder = guard.blobStore().workspaceFolder(A);
        Files.write(folder.resolve(EncryptedBlobStore.TEMP_PREFIX + "one"), new byte[] {1});
        Files.write(folder.resolve(EncryptedBlobStore.TEMP_PREFIX + "two"), new byte[] {2});
        assertThat(guard.blobStore().purgeTempFiles()).isEqualTo(2);
        assertThat(guard.blobStore().purgeTempFiles()).isZero();
        assertThat(root.resolve("stray-file")).exists();
        try (Download d = guard.open(s.id(), AccessCheck.of(A, u -> true))) {
            assertThat(d.content().readAllBytes()).isEqualTo(png());
        }
        assertThatThrownBy(() -> guard.blobStore().workspaceFolder(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blobWhoseCiphertextVanishedIsNotFound() throws Exception {
        StoredUpload s = store("images", "a.png", "image/png", png());
        Files.delete(guard.blobStore().workspaceFolder(A).resolve(s.id().value()));
        assertThatThrownBy(() -> guard.open(s.id(), AccessCheck.of(A, u -> true)))
                .isInstanceOfSatisfying(DownloadDenied.class, d -> assertThat(d.reason()).isEqualTo(DownloadDenied.Reason.NOT_FOUND));
    }
}
