package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    @Test
    void devModeCreatesAKeyFileWithMode0600AndReusesIt(@TempDir Path dir) {
        Path file = dir.resolve("keys/master.key");
        MasterKey first = MasterKey.fromKeyFile(file, MasterKey.FileMode.DEV_CREATE_IF_MISSING);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(permissions(file))).isEqualTo("rw-------");

        Keyring k1 = Keyring.builder().masterKey(first).store(new InMemoryKeysetStore()).build();
        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring a = Keyring.builder().masterKey(first).store(store).build();
        a.provisionShared(Keyring.DataInventory.EMPTY);
        String v = a.fields().encrypt("x", FieldContext.of("w", "t", "c", "r"));
        Keyring b = Keyring.builder().masterKey(MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY)).store(store).build();
        assertThat(b.fields().isCiphertext(v)).isTrue();
        assertThatNoDecryptionError(b, v);
        assertThat(k1).isNotNull();
    }

    private static void assertThatNoDecryptionError(Keyring k, String v) {
        try {
            assertThat(k.fields().decrypt(v, FieldContext.of("w", "t", "c", "r"))).isEqualTo("x");
        } catch (DecryptionException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void groupOrWorldReadableKeyFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey.fromKeyFile(file, MasterKey.FileMode.DEV_CREATE_IF_MISSING);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY))
                .isInstanceOfSatisfying(KeyringException.class, e -> {
                    assertThat(e.reason()).isEqualTo(KeyringException.Reason.INSECURE_KEY_FILE);
                    assertThat(e.getMessage()).contains("chmod 600");
                });
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertThatThrownBy(() -> MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY)).isInstanceOf(KeyringException.class);
    }

    @Test
    void missingKeyFileIsNotCreatedOutsideDevMode(@TempDir Path dir) {
        Path file = dir.resolve("master.key");
        assertThatThrownBy(() -> MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY))
                .isInstanceOfSatisfying(KeyringException.class, e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MASTER_KEY_UNAVAILABLE));
        assertThat(file).doesNotExist();
    }

    @Test
    void badKeyTextIsRejectedWithoutEchoingIt() {
        String wrongLength = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.fromBase64(wrongLength, "test"))
                .hasMessageContaining("32 bytes").hasMessageNotContaining(wrongLength);
        assertThatThrownBy(() -> MasterKey.fromBase64("not base64 at all!!", "test"))
                .hasMessageContaining("base64").hasMessageNotContaining("not base64 at all!!");
    }

    @Test
    void toStringNamesTheSourceButNeverTheKey() {
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        MasterKey mk = MasterKey.fromBase64(b64, "unit test");
        assertThat(mk.toString()).contains("unit test").contains("redacted").doesNotContain(b64);
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
