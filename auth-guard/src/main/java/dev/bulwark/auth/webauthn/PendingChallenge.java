package dev.bulwark.auth.webauthn;

import java.util.Objects;

/**
 * A challenge issued and not yet used. Only its SHA-256 ({@code challengeHash}, hex) is stored: a store dump does
 * not let anyone answer an outstanding ceremony.
 */
public record PendingChallenge(String challengeHash, String userId, Ceremony ceremony, long expiresAtMillis) {
    public PendingChallenge {
        Objects.requireNonNull(challengeHash);
        Objects.requireNonNull(userId);
        Objects.requireNonNull(ceremony);
    }
}
