package dev.bulwark.upload;

import dev.bulwark.testkit.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JDBC metadata store on in-memory H2 in the unit-test run; UploadMetadataStoreIT runs the shared contract on
 * PostgreSQL and H2 in the integration-test run.
 */
class JdbcUploadMetadataStoreTest {

    @Test
    void recordsRoundTripExactlyAndDeletesAreCountedPerBlobAndWorkspace() {
        try (TestDatabase db = TestDatabase.h2()) {
            UploadStoreSchema.create(db.dataSource());
            UploadStoreSchema.create(db.dataSource()); // idempotent
            JdbcUploadMetadataStore store = new JdbcUploadMetadataStore(db.dataSource());
            Instant t = Instant.parse("2026-01-02T03:04:05.678Z");
            UploadRecord late = new UploadRecord(BlobId.random(), "ws-a", "documents", "application/pdf", 5_000_000_000L,
                    "bw1.name-late", null, t.plusSeconds(60));
            UploadRecord early = new UploadRecord(BlobId.random(), "ws-a", "images", "image/png", 1234, "bw1.name-early",
                    "user-1", t);
            UploadRecord other = new UploadRecord(BlobId.random(), "ws-b", "images", "image/png", 1, "bw1.other", "user-2", t);
            store.insert(late);
            store.insert(early);
            store.insert(other);
            assertThat(store.find(late.id())).contains(late);
            assertThat(store.find(early.id())).contains(early);
            assertThat(store.find(BlobId.random())).isEmpty();
            assertThat(store.listWorkspace("ws-a")).containsExactly(early, late);
            assertThatThrownBy(() -> store.insert(early)).isInstanceOf(UploadStoreException.class);

            assertThat(store.delete(early.id())).isTrue();
            assertThat(store.delete(early.id())).isFalse();
            assertThat(store.deleteWorkspace("ws-a")).isEqualTo(1);
            assertThat(store.deleteWorkspace("ws-a")).isZero();
            assertThat(store.listWorkspace("ws-b")).containsExactly(other);
        }
    }

    @Test
    void storeWithoutItsTableFailsWithAStoreException() {
        try (TestDatabase db = TestDatabase.h2()) {
            JdbcUploadMetadataStore store = new JdbcUploadMetadataStore(db.dataSource());
            assertThatThrownBy(() -> store.find(BlobId.random())).isInstanceOf(UploadStoreException.class);
            assertThatThrownBy(() -> store.listWorkspace("ws")).isInstanceOf(UploadStoreException.class);
            assertThatThrownBy(() -> store.usage("ws", "user", "images")).isInstanceOf(UploadStoreException.class)
                    .hasMessageStartingWith("cannot count uploads");
            assertThat(UploadStoreSchema.ddl()).contains("CREATE TABLE IF NOT EXISTS bulwark_upload");
        }
    }
}
