package dev.bulwark.auth.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** The raw Argon2id function (version 0x13) through Bouncy Castle. Package-private: callers use PasswordHasher. */
final class Argon2id {
    private Argon2id() {}

    static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                         int memoryKiB, int iterations, int parallelism, int tagLength) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt);
        if (secret != null) b.withSecret(secret);
        if (associatedData != null) b.withAdditional(associatedData);
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(b.build());
        byte[] out = new byte[tagLength];
        gen.generateBytes(password, out);
        return out;
    }
}
