package dev.bulwark.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.KmsClient;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The key-encryption key (KEK) that wraps every stored keyset. It comes from an environment variable, a key file,
 * or a KMS through Tink's {@link KmsClient}. The raw bytes never leave this class; {@link #toString()} names only
 * the source.
 */
public final class MasterKey {
    /** The environment variable read by {@link #fromEnvironment()}. */
    public static final String ENV_VAR = "BULWARK_MASTER_KEY";
    private static final int KEY_BYTES = 32;

    /** Whether a missing key file may be created. */
    public enum FileMode {
        /** The file must exist. Production. */
        EXISTING_ONLY,
        /** Development only: create a fresh random key (mode 0600) if the file does not exist yet. */
        DEV_CREATE_IF_MISSING
    }

    private final Aead aead;
    private final String source;
    private final boolean remote;

    private MasterKey(Aead aead, String source, boolean remote) {
        this.aead = aead;
        this.source = source;
        this.remote = remote;
    }

    /** Reads base64 of 32 random bytes from {@code BULWARK_MASTER_KEY}. */
    public static MasterKey fromEnvironment() {
        String value = System.getenv(ENV_VAR);
        if (value == null || value.isBlank()) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    ENV_VAR + " is not set; set it to base64 of 32 random bytes (e.g. `openssl rand -base64 32`)");
        }
        return fromBase64(value, "environment variable " + ENV_VAR);
    }

    /** A master key from base64 text of 32 bytes (standard or URL-safe alphabet). */
    public static MasterKey fromBase64(String base64, String sourceDescription) {
        byte[] raw = decodeKey(base64, sourceDescription);
        try {
            return new MasterKey(localAead(raw), sourceDescription, false);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Reads the key file. The file must not be readable by group or others; in {@link FileMode#DEV_CREATE_IF_MISSING}
     * a missing file is created with a fresh key and mode 0600.
     */
    public static MasterKey fromKeyFile(Path file, FileMode mode) {
        String description = "key file " + file;
        try {
            if (!Files.exists(file)) {
                if (mode != FileMode.DEV_CREATE_IF_MISSING) {
                    throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                            description + " does not exist; restore it from your key backup, or set " + ENV_VAR);
                }
                createKeyFile(file);
            }
            checkPermissions(file);
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return fromBase64(text, description);
        } catch (IOException e) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    description + " cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The master key lives in a KMS; every wrap/unwrap is a KMS call, so the keyring caches unwrapped keysets. */
    public static MasterKey fromKms(KmsClient client, String keyUri) {
        if (client == null || keyUri == null || !client.doesSupport(keyUri)) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    "the KMS client does not support key URI " + keyUri);
        }
        try {
            return new MasterKey(client.getAead(keyUri), "KMS key " + keyUri, true);
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    "KMS key " + keyUri + " is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    Aead aead() {
        return aead;
    }

    /** Whether each use costs a round-trip to a KMS. */
    public boolean isRemote() {
        return remote;
    }

    /** Where the key came from (never the key). */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[" + source + ", key redacted]";
    }

    private static void createKeyFile(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        byte[] raw = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        byte[] encoded = (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(raw, (byte) 0);
        try {
            if (Files.getFileStore(parent == null ? Path.of(".") : parent).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another process created it first; use theirs
        }
        Files.write(file, encoded);
        Arrays.fill(encoded, (byte) 0);
    }

    private static void checkPermissions(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) return; // not a POSIX file system: nothing to check
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        for (PosixFilePermission p : perms) {
            switch (p) {
                case GROUP_READ, GROUP_WRITE, GROUP_EXECUTE, OTHERS_READ, OTHERS_WRITE, OTHERS_EXECUTE ->
                        throw new KeyringException(KeyringException.Reason.INSECURE_KEY_FILE,
                                "key file " + file + " has mode " + PosixFilePermissions.toString(perms)
                                        + "; refusing to use it. Run `chmod 600 " + file + "` and check who may have read it");
                default -> { }
            }
        }
    }

    private static byte[] decodeKey(String base64, String source) {
        byte[] raw;
        try {
            String s = base64.trim();
            raw = s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE, source + " is not valid base64");
        }
        if (raw.length != KEY_BYTES) {
            int len = raw.length;
            Arrays.fill(raw, (byte) 0);
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE,
                    source + " must decode to " + KEY_BYTES + " bytes, got " + len);
        }
        return raw;
    }

    private static Aead localAead(byte[] raw) {
        try {
            TinkSupport.register();
            AesGcmParameters params = AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES).setIvSizeBytes(12).setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
            AesGcmKey key = AesGcmKey.builder().setParameters(params)
                    .setKeyBytes(SecretBytes.copyFrom(raw, InsecureSecretKeyAccess.get())).build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary()).build();
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new KeyringException(KeyringException.Reason.MASTER_KEY_UNAVAILABLE, "cannot build the master key AEAD", e);
        }
    }
}
