package dev.bulwark.upload;

import dev.bulwark.crypto.Keyring;
import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static dev.bulwark.upload.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same store contract on the in-memory store, H2 and real PostgreSQL, and the guard running on the JDBC store. */
class UploadMetadataStoreIT {
    @TempDir
    Path dir;

    enum Backend { MEMORY, H2, POSTGRESQL }

    private interface StoreTest {
        void run(UploadMetadataStore store, javax.sql.DataSource ds) throws Exception;
    }

    private static void with(Backend backend, StoreTest test) throws Exception {
        if (backend == Backend.MEMORY) {
            test.run(new InMemoryUploadMetadataStore(), null);
            return;
        }
        try (TestDatabase db = (backend == Backend.H2 ? TestDatabase.Kind.H2 : TestDatabase.Kind.POSTGRESQL).open()) {
            UploadStoreSchema.create(db.dataSource());
            UploadStoreSchema.create(db.dataSource()); // idempotent
            test.run(new JdbcUploadMetadataStore(db.dataSource()), db.dataSource());
        }
    }

    private static UploadRecord record(String ws, Instant at, String by) {
        return new UploadRecord(BlobId.random(), ws, "images", "image/png", 1234, "bw1.ciphertext", by, at);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void usageCountsOneUploadersFilesOfOnePurposeInOneWorkspace(Backend backend) throws Exception {
        with(backend, (store, ds) -> {
            Instant t = Instant.parse("2026-01-02T03:04:05Z");
            assertThat(store.usage("ws-a", "user-1", "images")).isEqualTo(UploadUsage.NONE);
            store.insert(new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 100, "bw1.x", "user-1", t));
            store.insert(new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 250, "bw1.x", "user-1", t));
            UploadRecord third = new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 0, "bw1.x", "user-1", t);
            store.insert(third);
            // Not counted: another uploader, another purpose, another workspace, no uploader.
            store.insert(new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 7_000, "bw1.x", "user-2", t));
            store.insert(new UploadRecord(BlobId.random(), "ws-a", "documents", "application/pdf", 9_000, "bw1.x", "user-1", t));
            store.insert(new UploadRecord(BlobId.random(), "ws-b", "images", "image/png", 11_000, "bw1.x", "user-1", t));
            store.insert(new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 13_000, "bw1.x", null, t));
            assertThat(store.usage("ws-a", "user-1", "images")).isEqualTo(new UploadUsage(3, 350));
            assertThat(store.usage("ws-a", "user-2", "images")).isEqualTo(new UploadUsage(1, 7_000));
            assertThat(store.usage("ws-a", "user-1", "documents")).isEqualTo(new UploadUsage(1, 9_000));
            assertThat(store.usage("ws-b", "user-1", "images")).isEqualTo(new UploadUsage(1, 11_000));
            assertThat(store.usage("ws-c", "user-1", "images")).isEqualTo(UploadUsage.NONE);
            store.delete(third.id());
            assertThat(store.usage("ws-a", "user-1", "images")).isEqualTo(new UploadUsage(2, 350));
            store.deleteWorkspace("ws-a");
            assertThat(store.usage("ws-a", "user-1", "images")).isEqualTo(UploadUsage.NONE);
            assertThatThrownBy(() -> new UploadUsage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void recordsRoundTripAndListPerWorkspaceInOrder(Backend backend) throws Exception {
        with(backend, (store, ds) -> {
            Instant t = Instant.parse("2026-01-02T03:04:05.678Z");
            UploadRecord a1 = record("ws-a", t, "user-1");
            UploadRecord a2 = record("ws-a", t.plus(1, ChronoUnit.MINUTES), null);
            UploadRecord b1 = record("ws-b", t, "user-2");
            store.insert(a2);
            store.insert(a1);
            store.insert(b1);
            assertThat(store.find(a1.id())).contains(a1);
            assertThat(store.find(a2.id())).contains(a2);
            assertThat(store.find(BlobId.random())).isEmpty();
            assertThat(store.listWorkspace("ws-a")).containsExactly(a1, a2);
            assertThat(store.listWorkspace("ws-b")).containsExactly(b1);
            assertThat(store.listWorkspace("ws-c")).isEmpty();
        });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void duplicateIdIsRefused(Backend backend) throws Exception {
        with(backend, (store, ds) -> {
            UploadRecord r = record("ws-a", Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
            store.insert(r);
            assertThatThrownBy(() -> store.insert(r)).isInstanceOf(UploadStoreException.class);
        });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void deleteIsRealAndScopedToOneBlobOrWorkspace(Backend backend) throws Exception {
        with(backend, (store, ds) -> {
            Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            UploadRecord a1 = record("ws-a", t, null);
            UploadRecord a2 = record("ws-a", t, null);
            UploadRecord b1 = record("ws-b", t, null);
            store.insert(a1);
            store.insert(a2);
            store.insert(b1);
            assertThat(store.delete(a1.id())).isTrue();
            assertThat(store.delete(a1.id())).isFalse();
            assertThat(store.find(a1.id())).isEmpty();
            assertThat(store.deleteWorkspace("ws-a")).isEqualTo(1);
            assertThat(store.listWorkspace("ws-a")).isEmpty();
            assertThat(store.find(b1.id())).contains(b1);
        });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void guardStoresAndServesThroughTheStoreWithNamesEncrypted(Backend backend) throws Exception {
        with(backend, (store, ds) -> {
            Keyring k = keyring("ws-a", "ws-b");
            UploadGuard g = guard(k, dir.resolve(backend.name()), store);
            StoredUpload s = g.store(new UploadRequest("ws-a", "images", "Passport scan.png", "image/png", "user-1"),
                    new ByteArrayInputStream(png()));
            UploadRecord raw = store.find(s.id()).orElseThrow();
            assertThat(raw.encryptedDisplayName()).startsWith("bw1.").doesNotContain("Passport");
            try (Download d = g.open(s.id(), AccessCheck.of("ws-a", u -> true))) {
                assertThat(d.upload().displayName()).isEqualTo("Passport scan.png");
                assertThat(d.content().readAllBytes()).isEqualTo(png());
            }
            assertThatThrownBy(() -> g.open(s.id(), AccessCheck.of("ws-b", u -> true))).isInstanceOf(DownloadDenied.class);
            if (ds != null) {
                // A row moved to another workspace by someone with database access does not yield the name or file.
                try (Connection c = ds.getConnection();
                     PreparedStatement ps = c.prepareStatement("UPDATE bulwark_upload SET workspace_id = ? WHERE blob_id = ?")) {
                    ps.setString(1, "ws-b");
                    ps.setString(2, s.id().value());
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                assertThatThrownBy(() -> g.open(s.id(), AccessCheck.of("ws-b", u -> true))).isInstanceOf(UploadStoreException.class);
            }
        });
    }
}
