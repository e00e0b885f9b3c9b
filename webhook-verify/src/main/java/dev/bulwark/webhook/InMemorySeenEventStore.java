package dev.bulwark.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Seen event ids in this JVM only: right for one node and for tests. Purges expired records as it goes. */
public final class InMemorySeenEventStore implements SeenEventStore {
    private static final int PURGE_EVERY = 1024;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private int inserts;

    @Override
    public boolean firstSeen(String key, Instant keepUntil, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(keepUntil, "keepUntil");
        boolean[] first = {false};
        seen.compute(key, (k, old) -> {
            if (old == null || old.isBefore(now)) {
                first[0] = true;
                return keepUntil;
            }
            return old;
        });
        if (first[0] && maybePurge()) purgeExpired(now);
        return first[0];
    }

    private synchronized boolean maybePurge() {
        return ++inserts % PURGE_EVERY == 0;
    }

    @Override
    public void forget(String key) {
        seen.remove(key);
    }

    @Override
    public int purgeExpired(Instant now) {
        int[] n = {0};
        seen.entrySet().removeIf(e -> {
            boolean old = e.getValue().isBefore(now);
            if (old) n[0]++;
            return old;
        });
        return n[0];
    }
}
