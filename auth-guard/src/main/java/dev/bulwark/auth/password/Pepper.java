package dev.bulwark.auth.password;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A secret key mixed into every Argon2id hash as Argon2's own "secret" input (RFC 9106, section 3.1 "K"), so a
 * stolen database of hashes cannot be attacked offline without also stealing the key (ASVS 4.0.3, 2.4.5). Keep it
 * outside the database (derived from a KMS-held key, an HSM or a secret file).
 *
 * <p>The {@linkplain #id() id} is written into each hash as the PHC {@code keyid} parameter, so several peppers can be
 * known at once while an old one is rotated out ({@link PasswordHasher.Builder#previousPeppers}). The key bytes are
 * copied in and never handed out; {@link #toString()} prints only the id.
 */
public final class Pepper {
    /** Shortest accepted key: 256 bits. */
    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,8}$");

    private final String id;
    private final byte[] key;

    private Pepper(String id, byte[] key) {
        this.id = id;
        this.key = key;
    }

    /**
     * @param id  1–8 characters of {@code [A-Za-z0-9_-]} (the PHC {@code keyid} holds at most 8 bytes)
     * @param key at least {@value #MIN_KEY_BYTES} random bytes; copied
     */
    public static Pepper of(String id, byte[] key) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("pepper id must be 1..8 characters of A-Z a-z 0-9 _ -");
        if (key.length < MIN_KEY_BYTES) throw new IllegalArgumentException("pepper key must be at least " + MIN_KEY_BYTES + " bytes");
        return new Pepper(id, key.clone());
    }

    public String id() {
        return id;
    }

    /** The PHC {@code keyid} value: the id's bytes in unpadded Base64. */
    String keyIdParameter() {
        return StoredHash.b64(id.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "Pepper[id=" + id + ", key=<redacted>]";
    }
}
