package dev.bulwark.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KmsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where a master key may come from, and the typed failure for each way it can be unavailable. */
class MasterKeySourcesTest {
    static final FieldContext CTX = FieldContext.of("w", "t", "c", "r");

    static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.MASTER_KEY_UNAVAILABLE));
    }

    /** The same 32 bytes in the standard and the URL-safe alphabet (with surrounding whitespace) are the same key. */
    @Test
    void standardAndUrlSafeBase64NameTheSameKey() throws Exception {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 0xFB); // encodes to '+' and '/' in the standard alphabet
        String standard = Base64.getEncoder().encodeToString(raw);
        String urlSafe = Base64.getUrlEncoder().encodeToString(raw);
        assertThat(standard).contains("+").contains("/");
        assertThat(urlSafe).contains("-").contains("_");

        InMemoryKeysetStore store = new InMemoryKeysetStore();
        Keyring a = Keyring.builder().masterKey(MasterKey.fromBase64(standard, "standard")).store(store).build();
        a.provision(Keyring.DataInventory.EMPTY, List.of(KeysetName.of(KeyPurpose.FIELDS)));
        String v = a.fields().encrypt("same key", CTX);
        Keyring b = Keyring.builder().masterKey(MasterKey.fromBase64("  " + urlSafe + "\n", "url-safe")).store(store).build();
        assertThat(b.fields().decrypt(v, CTX)).isEqualTo("same key");
        assertThat(b.masterKey().isRemote()).isFalse();
        assertThat(b.masterKey().source()).isEqualTo("url-safe");
        Keyring other = Keyring.builder().masterKey(TestKeyrings.randomMasterKey()).store(store).build();
        assertThatThrownBy(() -> other.fields().decrypt(v, CTX)).isInstanceOfSatisfying(KeyringException.class,
                e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.WRONG_MASTER_KEY));
    }

    @Test
    void keyOfAnyLengthOtherThan32BytesIsRefused() {
        for (int n : new int[] {0, 31, 33, 64}) {
            String b64 = Base64.getEncoder().encodeToString(new byte[n]);
            assertUnavailable(() -> MasterKey.fromBase64(b64, "test"));
        }
        assertUnavailable(() -> MasterKey.fromBase64("***", "test"));
    }

    @Test
    void missingEnvironmentVariableIsReportedAsUnavailable() {
        String value = System.getenv(MasterKey.ENV_VAR);
        assumeTrue(value == null || value.isBlank(), "BULWARK_MASTER_KEY is set in this environment");
        assertThatThrownBy(MasterKey::fromEnvironment).isInstanceOfSatisfying(KeyringException.class, e -> {
            assertThat(e.reason()).isEqualTo(KeyringException.Reason.MASTER_KEY_UNAVAILABLE);
            assertThat(e.getMessage()).contains(MasterKey.ENV_VAR);
        });
    }

    @Test
    void aKeyFileThatCannotBeReadIsUnavailableNotInsecure(@TempDir Path dir) throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("master.key"));
        Files.setPosixFilePermissions(notAFile, PosixFilePermissions.fromString("rwx------"));
        assertUnavailable(() -> MasterKey.fromKeyFile(notAFile, MasterKey.FileMode.EXISTING_ONLY));
        Path garbage = dir.resolve("garbage.key");
        Files.writeString(garbage, "not a key");
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-------"));
        assertUnavailable(() -> MasterKey.fromKeyFile(garbage, MasterKey.FileMode.DEV_CREATE_IF_MISSING));
        assertThat(Files.readString(garbage)).as("an existing file is never overwritten").isEqualTo("not a key");
    }

    @Test
    void groupWritableOrExecutableKeyFileIsAlsoRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey.fromKeyFile(file, MasterKey.FileMode.DEV_CREATE_IF_MISSING);
        for (String mode : new String[] {"rw--w----", "rw---x---", "rw-----w-", "rw------x"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY)).as(mode)
                    .isInstanceOfSatisfying(KeyringException.class,
                            e -> assertThat(e.reason()).isEqualTo(KeyringException.Reason.INSECURE_KEY_FILE));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(MasterKey.fromKeyFile(file, MasterKey.FileMode.EXISTING_ONLY).source()).contains(file.toString());
    }

    @Test
    void kmsThatCannotServeTheKeyIsReportedAsUnavailable() {
        StartupAndKmsTest.CountingKms kms = new StartupAndKmsTest.CountingKms(TestKeyrings.randomMasterKey().aead());
        assertUnavailable(() -> MasterKey.fromKms(null, "test-kms://k"));
        assertUnavailable(() -> MasterKey.fromKms(kms, null));
        assertUnavailable(() -> MasterKey.fromKms(kms, "other-kms://k"));
        KmsClient failing = new KmsClient() {
            @Override
            public boolean doesSupport(String keyUri) {
                return true;
            }

            @Override
            public KmsClient withCredentials(String credentialPath) {
                return this;
            }

            @Override
            public KmsClient withDefaultCredentials() {
                return this;
            }

            @Override
            public Aead getAead(String keyUri) throws GeneralSecurityException {
                throw new GeneralSecurityException("permission denied");
            }
        };
        assertUnavailable(() -> MasterKey.fromKms(failing, "test-kms://k"));
        MasterKey remote = MasterKey.fromKms(kms, "test-kms://projects/p/keys/k");
        assertThat(remote.isRemote()).isTrue();
        assertThat(remote.source()).isEqualTo("KMS key test-kms://projects/p/keys/k");
    }

    /** Dev mode writes a fresh random 32-byte key per file, never a fixed or all-zero one. */
    @Test
    void devModeKeyFilesHoldFreshRandomKeys(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        MasterKey.fromKeyFile(a, MasterKey.FileMode.DEV_CREATE_IF_MISSING);
        MasterKey.fromKeyFile(b, MasterKey.FileMode.DEV_CREATE_IF_MISSING);
        byte[] keyA = Base64.getDecoder().decode(Files.readString(a).trim());
        byte[] keyB = Base64.getDecoder().decode(Files.readString(b).trim());
        assertThat(keyA).hasSize(32).isNotEqualTo(new byte[32]).isNotEqualTo(keyB);
        assertThat(keyB).hasSize(32).isNotEqualTo(new byte[32]);
    }

    /** A URL-safe key is recognised even when its only URL-specific character ('-' or '_') is the very first one. */
    @Test
    void urlSafeKeyWhoseFirstCharacterIsTheOnlyUrlSpecificOneIsAccepted() throws Exception {
        for (int first : new int[] {0xF8, 0xFC}) { // 62 ('-') and 63 ('_') in the top six bits, zeros after
            byte[] raw = new byte[32];
            raw[0] = (byte) first;
            String urlSafe = Base64.getUrlEncoder().encodeToString(raw);
            assertThat(urlSafe.substring(1)).doesNotContain("-").doesNotContain("_");
            InMemoryKeysetStore store = new InMemoryKeysetStore();
            Keyring a = Keyring.builder().masterKey(MasterKey.fromBase64(Base64.getEncoder().encodeToString(raw), "standard")).store(store).build();
            a.provision(Keyring.DataInventory.EMPTY, List.of(KeysetName.of(KeyPurpose.FIELDS)));
            String v = a.fields().encrypt("same key", CTX);
            Keyring b = Keyring.builder().masterKey(MasterKey.fromBase64(urlSafe, "url-safe")).store(store).build();
            assertThat(b.fields().decrypt(v, CTX)).as(urlSafe).isEqualTo("same key");
        }
    }
}
