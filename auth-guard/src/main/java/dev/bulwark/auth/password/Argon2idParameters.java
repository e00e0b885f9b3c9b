package dev.bulwark.auth.password;

/**
 * Argon2id cost parameters. {@link #owaspDefault()} is OWASP's Password Storage Cheat Sheet recommendation
 * (m = 19 MiB, t = 2, p = 1) with a 16-byte salt and a 32-byte tag.
 *
 * @param memoryKiB   memory cost in KiB (m)
 * @param iterations  time cost (t)
 * @param parallelism lanes (p)
 * @param saltLength  salt length in bytes
 * @param hashLength  tag length in bytes
 */
public record Argon2idParameters(int memoryKiB, int iterations, int parallelism, int saltLength, int hashLength) {

    /** Upper bounds accepted when reading a stored hash: a hostile stored string must not allocate gigabytes. */
    static final int MAX_MEMORY_KIB = 262_144;
    static final int MAX_ITERATIONS = 32;
    static final int MAX_PARALLELISM = 16;
    static final int MIN_SALT = 8;
    static final int MAX_SALT = 64;
    static final int MIN_HASH = 16;
    static final int MAX_HASH = 128;

    public Argon2idParameters {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM)
            throw new IllegalArgumentException("parallelism must be within 1.." + MAX_PARALLELISM);
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB)
            throw new IllegalArgumentException("memoryKiB must be within 8*parallelism.." + MAX_MEMORY_KIB);
        if (iterations < 1 || iterations > MAX_ITERATIONS)
            throw new IllegalArgumentException("iterations must be within 1.." + MAX_ITERATIONS);
        if (saltLength < 16 || saltLength > MAX_SALT)
            throw new IllegalArgumentException("saltLength must be within 16.." + MAX_SALT + " bytes");
        if (hashLength < 32 || hashLength > MAX_HASH)
            throw new IllegalArgumentException("hashLength must be within 32.." + MAX_HASH + " bytes");
    }

    /** OWASP: m = 19456 KiB (19 MiB), t = 2, p = 1; 16-byte salt, 32-byte tag. */
    public static Argon2idParameters owaspDefault() {
        return new Argon2idParameters(19_456, 2, 1, 16, 32);
    }

    /** Memory, time and parallelism with the default 16-byte salt and 32-byte tag. */
    public static Argon2idParameters of(int memoryKiB, int iterations, int parallelism) {
        return new Argon2idParameters(memoryKiB, iterations, parallelism, 16, 32);
    }

    /**
     * Whether these parameters are at least as costly as OWASP's weakest listed configuration
     * (m = 7 MiB with t = 5, i.e. memory × time of about 36 000 KiB-passes).
     */
    public boolean meetsOwaspMinimum() {
        return (long) memoryKiB * iterations >= 7_168L * 5;
    }
}
