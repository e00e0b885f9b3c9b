package dev.bulwark.auth.password;

/**
 * Outcome of {@link PasswordHasher#verify}. {@link #needsRehash()} is meaningful only when the password
 * matched: it says the stored hash is not Argon2id at the hasher's current parameters, so the application
 * should store {@link PasswordHasher#hash} of the same password now.
 */
public final class PasswordVerification {
    private static final PasswordVerification MISMATCH = new PasswordVerification(false, false, Scheme.NONE);

    /** The scheme of the stored hash that was checked. */
    public enum Scheme { ARGON2ID, BCRYPT, PBKDF2_SHA256, NONE }

    private final boolean matches;
    private final boolean needsRehash;
    private final Scheme scheme;

    private PasswordVerification(boolean matches, boolean needsRehash, Scheme scheme) {
        this.matches = matches;
        this.needsRehash = needsRehash;
        this.scheme = scheme;
    }

    static PasswordVerification mismatch(Scheme scheme) {
        return scheme == Scheme.NONE ? MISMATCH : new PasswordVerification(false, false, scheme);
    }

    static PasswordVerification match(Scheme scheme, boolean needsRehash) {
        return new PasswordVerification(true, needsRehash, scheme);
    }

    public boolean matches() {
        return matches;
    }

    /** True only for a matching password whose stored hash is legacy or uses outdated parameters. */
    public boolean needsRehash() {
        return matches && needsRehash;
    }

    public Scheme scheme() {
        return scheme;
    }

    @Override
    public String toString() {
        return "PasswordVerification[matches=" + matches + ", needsRehash=" + needsRehash() + ", scheme=" + scheme + "]";
    }
}
