package dev.bulwark.auth.sso;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Started sign-ins in this JVM's memory. Right for one app node and for tests; with several nodes behind a load
 * balancer the callback may reach another node, so use {@link JdbcLoginAttemptStore}. Capped in size so a flood of
 * started-but-abandoned sign-ins cannot exhaust the heap (beyond the cap, expired attempts are purged first, then
 * new attempts are refused with an {@link SsoStoreException}).
 */
public final class InMemoryLoginAttemptStore implements LoginAttemptStore {
    private final ConcurrentHashMap<String, PendingLogin> attempts = new ConcurrentHashMap<>();
    private final int maxAttempts;

    public InMemoryLoginAttemptStore() {
        this(100_000);
    }

    public InMemoryLoginAttemptStore(int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be positive");
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void save(PendingLogin attempt) {
        Objects.requireNonNull(attempt, "attempt");
        if (attempts.size() >= maxAttempts) {
            purgeExpired(Instant.now());
            if (attempts.size() >= maxAttempts) throw new SsoStoreException("too many pending sign-ins", null);
        }
        attempts.put(attempt.stateHash(), attempt);
    }

    @Override
    public Optional<PendingLogin> consume(String stateHash, Instant now) {
        if (stateHash == null) return Optional.empty();
        PendingLogin p = attempts.remove(stateHash);
        if (p == null || p.expiresAt().isBefore(now)) return Optional.empty();
        return Optional.of(p);
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = attempts.size();
        attempts.values().removeIf(p -> p.expiresAt().isBefore(now));
        return Math.max(0, before - attempts.size());
    }
}
