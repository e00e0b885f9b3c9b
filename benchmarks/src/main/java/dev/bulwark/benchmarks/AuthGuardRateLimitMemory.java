package dev.bulwark.benchmarks;

import dev.bulwark.auth.ratelimit.LimitKind;
import dev.bulwark.auth.ratelimit.RateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * auth-guard: resident heap per tracked rate-limit key with 1 000 000 distinct keys (client addresses), then after
 * the keys have gone idle and been evicted. Not a JMH benchmark (JMH measures time): run with
 * {@code java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.bulwark.benchmarks.AuthGuardRateLimitMemory}.
 */
public final class AuthGuardRateLimitMemory {
    private AuthGuardRateLimitMemory() {}

    /** A clock the run moves forward to make every key idle. */
    static final class StepClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        StepClock clock = new StepClock();
        RateLimiter limiter = RateLimiter.builder().clock(clock).sweepInterval(Duration.ZERO)
                .limit(LimitKind.LOGIN_PER_IP, 20, Duration.ofMinutes(1)).build();
        long base = usedHeap();
        // Key strings are built here and kept only by the limiter, so they count against it.
        for (int k = 0; k < n; k++) limiter.tryConsume(LimitKind.LOGIN_PER_IP, "10." + (k >> 16 & 255) + "." + (k >> 8 & 255) + "." + (k & 255));
        long withKeys = usedHeap();
        long perKey = (withKeys - base) / n;
        long tracked = limiter.trackedKeys();
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        long t0 = System.nanoTime();
        int evicted = limiter.evictIdle();
        long sweepMs = (System.nanoTime() - t0) / 1_000_000;
        long afterEviction = usedHeap();
        System.out.printf("keys=%d tracked=%d bytesPerTrackedKey=%d (map entry + key string + bucket)%n", n, tracked, perKey);
        System.out.printf("evicted=%d remaining=%d sweepMs=%d heapRetainedAfterEvictionBytes=%d%n",
                evicted, limiter.trackedKeys(), sweepMs, Math.max(0, afterEviction - base));
        limiter.close();
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
