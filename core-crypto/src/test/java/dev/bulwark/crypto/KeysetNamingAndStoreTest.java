package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keyset names (shared vs per workspace, workspace id rules) and the in-memory store's compare-and-set contract. */
class KeysetNamingAndStoreTest {

    @Test
    void sharedAndWorkspacePurposesCannotBeMixedUp() {
        assertThatThrownBy(() -> KeysetName.of(KeyPurpose.WORKSPACE_DATA)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KeysetName.workspace");
        assertThatThrownBy(() -> KeysetName.workspace(KeyPurpose.FIELDS, "ws1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KeysetName.of");
        assertThatThrownBy(() -> KeysetName.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KeysetName.workspace(null, "ws1")).isInstanceOf(NullPointerException.class);
        for (KeyPurpose p : KeyPurpose.values()) {
            assertThat(p.perWorkspace()).as("%s", p).isEqualTo(p == KeyPurpose.WORKSPACE_DATA || p == KeyPurpose.WORKSPACE_FILES);
        }
    }

    @Test
    void workspaceIdsAreOneToSixtyFourSafeCharacters() {
        String max = "a".repeat(64);
        assertThat(KeysetName.isValidWorkspaceId(max)).isTrue();
        assertThat(KeysetName.isValidWorkspaceId("A-z_0")).isTrue();
        assertThat(KeysetName.isValidWorkspaceId("a".repeat(65))).isFalse();
        for (String bad : new String[] {"", "ws/1", "ws 1", "ws.1", "../x", "wś"}) {
            assertThat(KeysetName.isValidWorkspaceId(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(KeysetName.isValidWorkspaceId(null)).isFalse();
        assertThatThrownBy(() -> KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestKeyrings.fresh().workspaceFields("a".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThat(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, max).id()).isEqualTo("workspace/" + max + "/data");
    }

    /** The shared file keyset and a workspace's file keyset share the label "files" but are different keysets. */
    @Test
    void everyNameHasItsOwnIdAndParsesBack() {
        KeysetName sharedFiles = KeysetName.of(KeyPurpose.FILES);
        KeysetName wsFiles = KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "ws1");
        assertThat(sharedFiles.id()).isEqualTo("files");
        assertThat(wsFiles.id()).isEqualTo("workspace/ws1/files");
        assertThat(sharedFiles).isNotEqualTo(wsFiles);
        assertThat(wsFiles).isEqualTo(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "ws1")).hasSameHashCodeAs(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "ws1"));
        assertThat(wsFiles).isNotEqualTo(KeysetName.workspace(KeyPurpose.WORKSPACE_FILES, "ws2"));
        assertThat(wsFiles).isNotEqualTo(KeysetName.workspace(KeyPurpose.WORKSPACE_DATA, "ws1"));
        assertThat(wsFiles.workspaceId()).isEqualTo("ws1");
        assertThat(sharedFiles.workspaceId()).isNull();
        assertThat(wsFiles.purpose()).isEqualTo(KeyPurpose.WORKSPACE_FILES);
        for (KeyPurpose p : KeyPurpose.values()) {
            KeysetName n = p.perWorkspace() ? KeysetName.workspace(p, "ws_9") : KeysetName.of(p);
            KeysetName parsed = KeysetName.parse(n.id());
            assertThat(parsed).isEqualTo(n);
            assertThat(parsed.purpose()).isEqualTo(p);
        }
        for (String unknown : new String[] {"workspace/ws1", "workspace/ws1/fields", "workspace//data", "workspace/ws1/data/x",
                "data", "Fields", "workspace/a b/data", ""}) {
            assertThat(KeysetName.parse(unknown)).as(unknown).isNull();
        }
        assertThat(KeysetName.parse(null)).isNull();
    }

    @Test
    void eachPurposeHasTheKindOfKeyItIsDocumentedToUse() {
        assertThat(KeyPurpose.FIELDS.kind()).isEqualTo(KeyPurpose.KeyKind.AEAD);
        assertThat(KeyPurpose.CONNECTION_CREDENTIALS.kind()).isEqualTo(KeyPurpose.KeyKind.AEAD);
        assertThat(KeyPurpose.WORKSPACE_DATA.kind()).isEqualTo(KeyPurpose.KeyKind.AEAD);
        assertThat(KeyPurpose.SEARCHABLE_FIELDS.kind()).isEqualTo(KeyPurpose.KeyKind.DETERMINISTIC_AEAD);
        assertThat(KeyPurpose.BLIND_INDEX.kind()).isEqualTo(KeyPurpose.KeyKind.MAC);
        assertThat(KeyPurpose.LINK_SIGNING.kind()).isEqualTo(KeyPurpose.KeyKind.MAC);
        assertThat(KeyPurpose.AUDIT.kind()).isEqualTo(KeyPurpose.KeyKind.MAC);
        assertThat(KeyPurpose.PASSWORD_PEPPER.kind()).isEqualTo(KeyPurpose.KeyKind.MAC);
        assertThat(KeyPurpose.FILES.kind()).isEqualTo(KeyPurpose.KeyKind.STREAMING_AEAD);
        assertThat(KeyPurpose.BACKUPS.kind()).isEqualTo(KeyPurpose.KeyKind.STREAMING_AEAD);
        assertThat(KeyPurpose.WORKSPACE_FILES.kind()).isEqualTo(KeyPurpose.KeyKind.STREAMING_AEAD);
    }

    /** Same contract as the JDBC store in {@code KeysetStoreIT}. */
    @Test
    void inMemoryStoreIsCompareAndSetAndNeverForgetsADestroyedName() {
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        assertThat(store.find("fields")).isEmpty();
        byte[] original = {1, 2, 3};
        assertThat(store.insert("fields", original)).isTrue();
        original[0] = 9; // the caller's array is not shared
        assertThat(store.insert("fields", new byte[] {9})).isFalse();
        var s = store.find("fields").orElseThrow();
        assertThat(s.encryptedKeyset()).containsExactly(1, 2, 3);
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.destroyed()).isFalse();
        s.encryptedKeyset()[0] = 7; // nor is the returned one
        assertThat(store.find("fields").orElseThrow().encryptedKeyset()).containsExactly(1, 2, 3);

        assertThat(store.update("fields", new byte[] {4}, 2)).as("stale version").isFalse();
        assertThat(store.update("absent", new byte[] {4}, 1)).isFalse();
        assertThat(store.update("fields", new byte[] {4}, 1)).isTrue();
        assertThat(store.find("fields").orElseThrow().version()).isEqualTo(2);
        assertThat(store.find("fields").orElseThrow().encryptedKeyset()).containsExactly(4);
        assertThat(store.update("fields", new byte[] {5}, 1)).as("version 1 is gone").isFalse();

        assertThat(store.markDestroyed("absent", 1L)).isFalse();
        assertThat(store.find("absent")).isEmpty();
        assertThat(store.markDestroyed("fields", 1234L)).isTrue();
        var d = store.find("fields").orElseThrow();
        assertThat(d.destroyed()).isTrue();
        assertThat(d.encryptedKeyset()).isNull();
        assertThat(d.destroyedAtEpochMillis()).isEqualTo(1234L);
        assertThat(d.version()).isEqualTo(3);
        assertThat(store.update("fields", new byte[] {5}, d.version())).as("destroyed keysets stay destroyed").isFalse();
        assertThat(store.insert("fields", new byte[] {6})).as("and the name stays taken").isFalse();
        assertThat(store.find("fields").orElseThrow().destroyed()).isTrue();
        assertThat(store.names()).containsExactly("fields");
    }
}
