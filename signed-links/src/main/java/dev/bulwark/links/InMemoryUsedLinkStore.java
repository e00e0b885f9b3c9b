package dev.bulwark.links;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Used single-use token ids in this JVM only: correct for one node and for tests; lost on restart. */
public final class InMemoryUsedLinkStore implements UsedLinkStore {
    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    @Override
    public boolean markUsed(String tokenId, Instant keepUntil) {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(keepUntil, "keepUntil");
        return used.putIfAbsent(tokenId, keepUntil) == null;
    }

    @Override
    public boolean isUsed(String tokenId, Instant now) {
        Instant until = used.get(tokenId);
        return until != null && !until.isBefore(now);
    }

    @Override
    public int purgeExpired(Instant now) {
        int[] n = {0};
        used.entrySet().removeIf(e -> {
            boolean old = e.getValue().isBefore(now);
            if (old) n[0]++;
            return old;
        });
        return n[0];
    }
}
