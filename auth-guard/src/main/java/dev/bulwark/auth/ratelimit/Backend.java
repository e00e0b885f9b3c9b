package dev.bulwark.auth.ratelimit;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where buckets live. Package-private: chosen through {@link RateLimiter.Builder}. */
interface Backend extends AutoCloseable {
    ConsumptionProbe tryConsume(LimitKind kind, String subject, BucketConfiguration configuration, long capacity);

    /** Drops state that is indistinguishable from a fresh bucket; returns how many entries were removed (-1 unknown). */
    int evictIdle();

    /** Buckets held in memory (local backend), or -1. */
    long trackedKeys();

    @Override
    void close();
}
