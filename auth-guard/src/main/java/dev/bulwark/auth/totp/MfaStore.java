package dev.bulwark.auth.totp;

import java.util.List;

/**
 * Second-factor state: the last TOTP time step accepted per user (a code works once) and the SHA-256 hashes of
 * unused recovery codes. Implementations: {@link InMemoryMfaStore}, {@link JdbcMfaStore}.
 */
public interface MfaStore {
    /** Atomically records {@code step} as used if it is later than the last used step; false otherwise. */
    boolean advanceStep(String userId, long step);

    /** Replaces the user's recovery code hashes (new set issued). */
    void replaceRecoveryCodes(String userId, List<String> codeHashes);

    /** Atomically deletes the code hash if present; true exactly once per code. */
    boolean consumeRecoveryCode(String userId, String codeHash);

    int countRecoveryCodes(String userId);

    /** Removes all second-factor state of a user (MFA switched off). */
    void deleteUser(String userId);
}
