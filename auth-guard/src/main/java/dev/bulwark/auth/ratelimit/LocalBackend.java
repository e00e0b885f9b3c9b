package dev.bulwark.auth.ratelimit;

import io.github.bucket4j.BucketListener;
import io.github.bucket4j.MathType;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.ThreadUnsafeBucket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One node's buckets in memory: a map per limit kind from subject to a Bucket4j local bucket. A bucket that has
 * refilled to capacity carries no information (it equals a new bucket), so {@link #evictIdle} drops it: memory
 * stays proportional to the subjects active within one refill period.
 */
final class LocalBackend implements Backend {
    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, ThreadUnsafeBucket>[] maps = new ConcurrentHashMap[LimitKind.values().length];
    private final TimeMeter time;

    LocalBackend(TimeMeter time) {
        this.time = time;
        for (LimitKind k : LimitKind.values()) maps[k.ordinal()] = new ConcurrentHashMap<>();
    }

    @Override
    public ConsumptionProbe tryConsume(LimitKind kind, String subject, BucketConfiguration configuration, long capacity) {
        ConcurrentHashMap<String, ThreadUnsafeBucket> map = maps[kind.ordinal()];
        ThreadUnsafeBucket b = map.get(subject);
        if (b == null) {
            // One shared configuration, the thread-unsafe bucket guarded by its own monitor: the smallest per-key
            // footprint Bucket4j offers (the lock-free variant adds an AtomicReference and a configuration copy).
            b = map.computeIfAbsent(subject, s -> new ThreadUnsafeBucket(configuration, MathType.INTEGER_64_BITS, time, BucketListener.NOPE));
        }
        synchronized (b) {
            return b.tryConsumeAndReturnRemaining(1);
        }
    }

    @Override
    public int evictIdle() {
        int removed = 0;
        for (ConcurrentHashMap<String, ThreadUnsafeBucket> map : maps) {
            for (Map.Entry<String, ThreadUnsafeBucket> e : map.entrySet()) {
                ThreadUnsafeBucket bucket = e.getValue();
                boolean full;
                synchronized (bucket) {
                    full = bucket.getAvailableTokens() >= bucket.getConfiguration().getBandwidths()[0].getCapacity();
                }
                // A race with a concurrent consume can forgive at most that one token: the bucket was full anyway.
                if (full && map.remove(e.getKey(), bucket)) removed++;
            }
        }
        return removed;
    }

    @Override
    public long trackedKeys() {
        long n = 0;
        for (ConcurrentHashMap<String, ThreadUnsafeBucket> m : maps) n += m.size();
        return n;
    }

    @Override
    public void close() {
        for (ConcurrentHashMap<String, ThreadUnsafeBucket> m : maps) m.clear();
    }
}
