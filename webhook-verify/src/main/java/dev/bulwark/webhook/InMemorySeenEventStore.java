package dev.bulwark.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Seen event ids in this JVM only: right for one node and for tests. Purges expired records as it goes. */
public final class InMemorySeenEventStore implements SeenEventStore {
    private static final int PURGE_EVERY = 1024;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private int inserts;

    /** {@code claimant == null}: done. */
    private record Seen(Instant keepUntil, Instant leaseUntil, String claimant) {
        boolean inProgress() {
            return claimant != null;
        }
    }

    @Override
    public Claim claim(String key, String claimant, Instant leaseUntil, Instant keepUntil, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(claimant, "claimant");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        Objects.requireNonNull(keepUntil, "keepUntil");
        Claim[] found = {Claim.CLAIMED};
        seen.compute(key, (k, old) -> {
            if (old == null || old.keepUntil.isBefore(now)) return new Seen(keepUntil, leaseUntil, claimant);
            if (old.inProgress() && old.leaseUntil.isBefore(now)) {
                // the holder died: take over, keeping the record at least as long as before
                return new Seen(later(old.keepUntil, keepUntil), leaseUntil, claimant);
            }
            found[0] = old.inProgress() ? Claim.IN_PROGRESS : Claim.DONE;
            return old;
        });
        if (found[0] == Claim.CLAIMED && maybePurge()) purgeExpired(now);
        return found[0];
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private synchronized boolean maybePurge() {
        return ++inserts % PURGE_EVERY == 0;
    }

    @Override
    public void complete(String key) {
        seen.computeIfPresent(key, (k, old) -> new Seen(old.keepUntil, null, null));
    }

    @Override
    public void release(String key, String claimant) {
        Objects.requireNonNull(claimant, "claimant");
        seen.computeIfPresent(key, (k, old) -> claimant.equals(old.claimant) ? null : old);
    }

    @Override
    public void forget(String key) {
        seen.remove(key);
    }

    @Override
    public int purgeExpired(Instant now) {
        int[] n = {0};
        seen.entrySet().removeIf(e -> {
            boolean old = e.getValue().keepUntil.isBefore(now);
            if (old) n[0]++;
            return old;
        });
        return n[0];
    }
}
