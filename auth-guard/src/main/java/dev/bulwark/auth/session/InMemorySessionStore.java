package dev.bulwark.auth.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Sessions of one node, in memory (lost on restart). */
public final class InMemorySessionStore implements SessionStore {
    private final ConcurrentHashMap<String, SessionRecord> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByHash = new ConcurrentHashMap<>();

    @Override
    public synchronized void insert(SessionRecord s) {
        if (byId.containsKey(s.sessionId()) || idByHash.containsKey(s.tokenHash())) throw new IllegalStateException("duplicate session");
        byId.put(s.sessionId(), s);
        idByHash.put(s.tokenHash(), s.sessionId());
    }

    @Override
    public Optional<SessionRecord> findByTokenHash(String tokenHash) {
        String id = idByHash.get(tokenHash);
        if (id == null) return Optional.empty();
        SessionRecord s = byId.get(id);
        return s != null && s.tokenHash().equals(tokenHash) ? Optional.of(s) : Optional.empty();
    }

    @Override
    public List<SessionRecord> findByUser(String userId) {
        List<SessionRecord> out = new ArrayList<>();
        for (SessionRecord s : byId.values()) if (s.userId().equals(userId)) out.add(s);
        out.sort(Comparator.comparing(SessionRecord::createdAt));
        return out;
    }

    @Override
    public void touch(String sessionId, Instant lastSeenAt) {
        byId.computeIfPresent(sessionId, (k, s) -> s.lastSeenAt().isBefore(lastSeenAt) ? s.withLastSeen(lastSeenAt) : s);
    }

    @Override
    public synchronized boolean replaceTokenHash(String sessionId, String expectedOldHash, String newHash, Instant now) {
        SessionRecord s = byId.get(sessionId);
        if (s == null || !s.tokenHash().equals(expectedOldHash)) return false;
        idByHash.remove(expectedOldHash);
        idByHash.put(newHash, sessionId);
        byId.put(sessionId, s.withTokenHash(newHash, now));
        return true;
    }

    @Override
    public synchronized boolean delete(String sessionId) {
        SessionRecord s = byId.remove(sessionId);
        if (s != null) idByHash.remove(s.tokenHash());
        return s != null;
    }

    @Override
    public synchronized int deleteByUser(String userId, String keepSessionId) {
        int n = 0;
        for (SessionRecord s : findByUser(userId)) {
            if (!s.sessionId().equals(keepSessionId) && delete(s.sessionId())) n++;
        }
        return n;
    }

    @Override
    public synchronized int deleteExpired(Instant now, Duration idleTimeout) {
        int n = 0;
        for (SessionRecord s : new ArrayList<>(byId.values())) {
            if (!s.expiresAt().isAfter(now) || !s.lastSeenAt().plus(idleTimeout).isAfter(now)) {
                if (delete(s.sessionId())) n++;
            }
        }
        return n;
    }
}
