package dev.bulwark.auth.webauthn;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Credentials and challenges in memory (one node, tests). */
public final class InMemoryWebAuthnStore implements WebAuthnStore {
    private final ConcurrentHashMap<String, PendingChallenge> challenges = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, WebAuthnCredential> credentials = new ConcurrentHashMap<>();

    @Override
    public void saveChallenge(PendingChallenge challenge, long nowMillis) {
        challenges.values().removeIf(c -> c.expiresAtMillis() < nowMillis
                || (c.userId().equals(challenge.userId()) && c.ceremony() == challenge.ceremony()));
        challenges.put(challenge.challengeHash(), challenge);
    }

    @Override
    public Optional<PendingChallenge> consumeChallenge(String challengeHash) {
        return Optional.ofNullable(challenges.remove(challengeHash));
    }

    @Override
    public boolean addCredential(WebAuthnCredential credential) {
        return credentials.putIfAbsent(credential.credentialId(), credential) == null;
    }

    @Override
    public Optional<WebAuthnCredential> findCredential(String credentialId) {
        return Optional.ofNullable(credentials.get(credentialId));
    }

    @Override
    public List<WebAuthnCredential> credentials(String userId) {
        return credentials.values().stream().filter(c -> c.userId().equals(userId))
                .sorted(Comparator.comparing(WebAuthnCredential::createdAt).thenComparing(WebAuthnCredential::credentialId))
                .toList();
    }

    @Override
    public boolean updateSignCount(String credentialId, long expectedCount, long newCount, long usedAtMillis) {
        boolean[] done = {false};
        credentials.computeIfPresent(credentialId, (k, c) -> {
            if (c.signCount() != expectedCount) return c;
            done[0] = true;
            return c.withUse(newCount, java.time.Instant.ofEpochMilli(usedAtMillis));
        });
        return done[0];
    }

    @Override
    public boolean removeCredential(String userId, String credentialId) {
        WebAuthnCredential c = credentials.get(credentialId);
        return c != null && c.userId().equals(userId) && credentials.remove(credentialId, c);
    }

    @Override
    public void deleteUser(String userId) {
        credentials.values().removeIf(c -> c.userId().equals(userId));
        challenges.values().removeIf(c -> c.userId().equals(userId));
    }
}
